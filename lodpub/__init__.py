"""lodpub: turn Chinese government budget disclosures into validated linked open data."""

__version__ = "0.1.0"
