// BookServer: see README's layout.
