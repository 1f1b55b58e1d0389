"""The fixed parts of the demo shop's world: places, names, categories, carriers, reasons."""

from __future__ import annotations

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra",
    "Luis", "Ashley", "Kevin", "Emily", "Brian", "Kimberly", "Jose", "Donna", "Andrew", "Michelle",
    "Aisha", "Mei",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Nguyen", "Hill", "Flores", "Green",
)
STREETS = (
    "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Washington Ave",
    "Lake View Rd", "Hillcrest Dr", "Sunset Blvd", "Park Pl", "Walnut St", "River Rd",
    "Highland Ave", "Church St", "Spring St", "Willow Way", "Chestnut St", "Broadway",
    "Meadow Ln", "Franklin St", "Jefferson Ave", "Forest Dr", "Cherry Ln",
)
# city, state, state code, county, ZIP prefix, phone area code, sales tax rate (basis points)
CITIES = (
    ("Los Angeles", "California", "CA", "Los Angeles County", "900", "213", 950),
    ("San Diego", "California", "CA", "San Diego County", "921", "619", 775),
    ("Houston", "Texas", "TX", "Harris County", "770", "713", 825),
    ("Dallas", "Texas", "TX", "Dallas County", "752", "214", 825),
    ("Miami", "Florida", "FL", "Miami-Dade County", "331", "305", 700),
    ("Orlando", "Florida", "FL", "Orange County", "328", "407", 650),
    ("New York", "New York", "NY", "New York County", "100", "212", 888),
    ("Buffalo", "New York", "NY", "Erie County", "142", "716", 875),
    ("Chicago", "Illinois", "IL", "Cook County", "606", "312", 1025),
    ("Phoenix", "Arizona", "AZ", "Maricopa County", "850", "602", 860),
    ("Philadelphia", "Pennsylvania", "PA", "Philadelphia County", "191", "215", 800),
    ("Seattle", "Washington", "WA", "King County", "981", "206", 1035),
    ("Denver", "Colorado", "CO", "Denver County", "802", "303", 881),
    ("Atlanta", "Georgia", "GA", "Fulton County", "303", "404", 890),
    ("Columbus", "Ohio", "OH", "Franklin County", "432", "614", 750),
    ("Portland", "Oregon", "OR", "Multnomah County", "972", "503", 0),
    ("Nashville", "Tennessee", "TN", "Davidson County", "372", "615", 925),
    ("Boston", "Massachusetts", "MA", "Suffolk County", "021", "617", 625),
    ("Charlotte", "North Carolina", "NC", "Mecklenburg County", "282", "704", 725),
    ("Detroit", "Michigan", "MI", "Wayne County", "482", "313", 600),
)
# Colorado charges a retail delivery fee on every delivered order.
RETAIL_DELIVERY_FEE_CENTS = {"CO": 28}

BUYER_MESSAGES = (
    "", "", "", "", "", "", "Please ship fast, it's a gift!", "Leave at the back door please.",
    "Can you add a gift note?", "No invoice in the box please.",
)
PAYMENT_METHODS = ("Visa", "Mastercard", "PayPal", "Apple Pay", "American Express", "Klarna")

# id, parent_id, local_name, is_leaf
CATEGORIES = (
    ("600001", "0", "Womenswear & Underwear", False),
    ("601152", "600001", "Women's Tops", False),
    ("601226", "601152", "T-shirts", True),
    ("601302", "601152", "Hoodies & Sweatshirts", True),
    ("600024", "0", "Home Supplies", False),
    ("600942", "600024", "Home Organizers", True),
    ("600954", "600024", "Candles & Home Fragrance", True),
    ("601739", "0", "Phones & Electronics", False),
    ("601755", "601739", "Phone Cases", True),
    ("601758", "601739", "Charging Cables", True),
    ("700645", "0", "Beauty & Personal Care", False),
    ("700646", "700645", "Lipsticks", True),
    ("700650", "700645", "Hair Accessories", True),
)
LEAF_CATEGORIES = tuple(c[0] for c in CATEGORIES if c[3])

# per leaf category: product nouns, the sales attributes (name, values), price range in cents
PRODUCT_KINDS = {
    "601226": (("Graphic Tee", "Oversized T-Shirt", "Cropped Tee"),
               (("Color", ("Black", "White", "Sage", "Pink")), ("Size", ("S", "M", "L", "XL"))),
               (1299, 2999)),
    "601302": (("Zip Hoodie", "Fleece Sweatshirt", "Pullover Hoodie"),
               (("Color", ("Grey", "Navy", "Cream")), ("Size", ("S", "M", "L", "XL", "XXL"))),
               (2499, 4999)),
    "600942": (("Drawer Organizer Set", "Stackable Storage Bin", "Closet Shelf Divider"),
               (("Color", ("White", "Clear", "Bamboo")),), (899, 2499)),
    "600954": (("Soy Candle", "Reed Diffuser", "Wax Melt Pack"),
               (("Scent", ("Vanilla", "Lavender", "Sea Salt", "Cedarwood")),), (999, 2999)),
    "601755": (("Clear Phone Case", "MagSafe Case", "Glitter Case"),
               (("Model", ("iPhone 15", "iPhone 15 Pro", "iPhone 16", "Galaxy S24")),
                ("Color", ("Clear", "Black", "Lilac"))), (799, 1999)),
    "601758": (("USB-C Cable 2-Pack", "Braided Lightning Cable", "Fast Charger Cable"),
               (("Length", ("3ft", "6ft", "10ft")),), (599, 1599)),
    "700646": (("Matte Lipstick", "Lip Gloss Duo", "Tinted Lip Balm"),
               (("Shade", ("Ruby", "Nude", "Berry", "Coral", "Mauve")),), (699, 1899)),
    "700650": (("Claw Clip Set", "Silk Scrunchies", "Pearl Hair Pins"),
               (("Color", ("Tortoise", "Black", "Pastel")),), (499, 1499)),
}
ADJECTIVES = ("Cozy", "Everyday", "Premium", "Minimalist", "Vintage", "Classic", "Soft", "Bold",
              "Mini", "Deluxe", "Eco", "Luxe")
PRODUCT_PROPERTIES = (
    ("100198", "Material", ("Cotton", "Polyester", "Silicone", "Soy Wax", "Bamboo")),
    ("100347", "Pattern", ("Solid", "Graphic", "Striped")),
)

# Why a listing failed review, as Get Product's audit_failed_reasons[] tells it: where, why, and
# what to change. A failed listing gets one or two of these.
AUDIT_FAILURES = (
    ("Main image",
     ("The main image contains a watermark, logo or text that is not part of the product.",),
     ("Use a photo of the product alone on a plain white background.",
      "Remove watermarks, borders, stickers and promotional text from the image.")),
    ("Product title",
     ("The title uses exaggerated claims such as \"best\" or \"No. 1\".",),
     ("Describe the product plainly: brand, product type, material, size and colour.",)),
    ("Product description",
     ("The description links to a website outside TikTok Shop.",
      "The description mentions a phone number or social media account."),
     ("Remove links, phone numbers and account names from the description.",)),
    ("Category",
     ("The product does not belong to the category it is listed in.",),
     ("Choose the category the recommendation suggests, or one that matches the product.",)),
)

BRANDS = (
    "Aurora Goods", "Bloom & Co", "Cloudnine", "Daybreak", "Everlane Basics", "Fernwood", "Glowup",
    "Harbor Home", "Ivy Lane", "Juniper", "Kindred", "Lumen", "Maple & Moss", "Nimbus", "Oakline",
    "Pebble", "Quill", "Rosewater", "Sable", "Tidal", "Umber", "Velvet Fox", "Willowbrook",
    "Xenia", "Yarrow", "Zephyr", "Northbound", "Southpaw", "Eastwind", "Westside Supply",
    "Copperleaf", "Driftwood", "Ember", "Foxglove", "Granite", "Hazel", "Indigo Row", "Jasper",
)

# Two sales warehouses every SKU is stocked in, and a return warehouse.
# id, name, type, is default, (street, city, state, state code, ZIP, contact, phone)
WAREHOUSES = (
    ("7289040117880817409", "Main Warehouse", "SALES_WAREHOUSE", True,
     ("1450 Commerce Way", "Ontario", "California", "CA", "91761", "Dana Whitfield", "9095550142")),
    ("7289040117880817410", "East Coast Overflow", "SALES_WAREHOUSE", False,
     ("88 Harbor Pkwy", "Edison", "New Jersey", "NJ", "08837", "Sam Ortiz", "7325550188")),
    ("7289040117880817411", "Returns Center", "RETURN_WAREHOUSE", False,
     ("1452 Commerce Way", "Ontario", "California", "CA", "91761", "Dana Whitfield", "9095550142")),
)
SALES_WAREHOUSE_IDS = tuple(w[0] for w in WAREHOUSES if w[2] == "SALES_WAREHOUSE")

# id, name, type, description, shipping providers
DELIVERY_OPTIONS = (
    ("7129736209520314113", "Standard Shipping", "STANDARD", "Delivered in 3-5 business days",
     ("USPS", "UPS")),
    ("7129736209520314114", "Express Shipping", "EXPRESS", "Delivered in 1-2 business days",
     ("FedEx", "UPS")),
    ("7129736209520314115", "Economy Shipping", "ECONOMY", "Delivered in 5-8 business days",
     ("USPS",)),
    ("7129736209520314116", "Shipped by seller", "SEND_BY_SELLER", "You ship with your own carrier",
     ("USPS", "UPS", "FedEx", "DHL eCommerce")),
)
SHIPPING_PROVIDERS = {
    "USPS": "6617675021119438849",
    "UPS": "6617675021119438850",
    "FedEx": "6617675021119438851",
    "DHL eCommerce": "6617675021119438852",
}

# (reason code, the text the buyer picked): a cancellation names both, an order only the text.
CANCEL_REASONS = (
    ("buyer_cancel_paid_reason_no_longer_needed", "No longer needed"),
    ("buyer_cancel_paid_reason_change_address", "Need to change shipping address"),
    ("buyer_cancel_paid_reason_better_price", "Found a better price"),
    ("buyer_cancel_paid_reason_ordered_by_mistake", "Ordered by mistake"),
    ("buyer_cancel_paid_reason_delivery_too_long", "Delivery takes too long"),
)
SELLER_CANCEL_REASON = ("seller_cancel_paid_reason_out_of_stock", "Out of stock")
CANCEL_REASON_CODES = {text: code for code, text in (*CANCEL_REASONS, SELLER_CANCEL_REASON)}
RETURN_REASONS = (
    ("ecom_order_delivered_refund_and_return_reason_wrong_size", "Wrong size"),
    ("ecom_order_delivered_refund_and_return_reason_damaged", "Item arrived damaged"),
    ("ecom_order_delivered_refund_and_return_reason_not_as_described", "Not as described"),
    ("ecom_order_delivered_refund_reason_missing_item", "Package is missing items"),
)
REJECT_REASONS = {
    "cancel": (
        ("seller_reject_apply_product_has_been_packed", "The order has already been packed"),
        ("seller_reject_apply_product_has_been_shipped", "The order has already been shipped"),
        ("seller_reject_apply_buyer_agreed_to_keep", "The buyer agreed to keep the order"),
    ),
    "return": (
        ("seller_reject_return_item_used", "The item was used or damaged by the buyer"),
        ("seller_reject_return_missing_parts", "The returned item is missing parts"),
        ("seller_reject_return_wrong_item", "The returned item is not the item sold"),
        ("seller_reject_return_no_evidence", "The buyer gave no evidence"),
    ),
}

WEBHOOK_EVENT_TYPES = (
    "ORDER_STATUS_CHANGE", "RECIPIENT_ADDRESS_UPDATE", "PACKAGE_UPDATE", "PRODUCT_STATUS_CHANGE",
    "SELLER_DEAUTHORIZATION", "UPCOMING_AUTHORIZATION_EXPIRATION", "CANCELLATION_STATUS_CHANGE",
    "RETURN_STATUS_CHANGE", "NEW_CONVERSATION", "NEW_MESSAGE", "PRODUCT_INFORMATION_CHANGE",
    "PRODUCT_CREATION", "PRODUCT_CATEGORY_CHANGE", "INVOICE_STATUS_CHANGE",
    "PRODUCT_AUDIT_STATUS_CHANGE",
)
