"""What the editing tables share (stock in the Inventory tab, prices in the Listings tab): the
undoable outbox writes, the cell editor, the push with its bar, and the review, conflict and
history dialogs."""
