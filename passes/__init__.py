"""Wallet pass formats: platform-neutral content, images, Apple .pkpass and Google Wallet.

Nothing here knows Flask, the database or the card rules: values in, bytes out.
"""
