"""The window shell: main window, lock, navigation, the table of sections."""
