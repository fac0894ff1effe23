"""The data file: the TinyDB storage and its journal, the lock around a transaction, durable writes, the
schema's migrations and the motion list's index beside the file; ``protocol`` names what the store asks of it."""
