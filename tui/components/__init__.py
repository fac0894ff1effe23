"""The dashboard's widgets and screens, one module each."""
