"""The dashboard's views: each a Screen that shows the store's data through :meth:`show_data`."""
