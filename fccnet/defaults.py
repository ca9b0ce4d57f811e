"""Every seeded reference list, filled where it is still empty."""

from fccnet.licensing import defaults as licensing_defaults
from fccnet.training import defaults as training_defaults


def ensure_defaults() -> None:
    licensing_defaults.ensure_defaults()
    training_defaults.ensure_defaults()
