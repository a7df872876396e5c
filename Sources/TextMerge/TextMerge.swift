// TextMerge: see README's layout.
