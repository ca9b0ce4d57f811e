"""The half-year report card (being built)."""

from datetime import date

from fccnet.credits.services import Period


def build_card(period: Period, *, today: date):
    raise NotImplementedError


def card_pdf(card, *, locale: str) -> bytes:
    raise NotImplementedError
