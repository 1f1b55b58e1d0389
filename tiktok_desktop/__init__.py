"""TikTok Shop Desktop: a desktop app for small TikTok Shop sellers."""

__version__ = "0.1.0"
APP_NAME = "TikTok Shop Desktop"
