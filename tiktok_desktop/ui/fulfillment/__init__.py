"""The Fulfillment tab: ship a day's packages, print their labels and a pick list."""
