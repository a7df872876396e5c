// BookStore: see README's layout.
