"""The window shell: main window, lock, navigation, and the adapters that fit today's views
to the section protocol."""
