"""Every seeded reference list, filled where it is still empty."""

from fccnet.coaching import defaults as coaching_defaults
from fccnet.licensing import defaults as licensing_defaults
from fccnet.training import defaults as training_defaults


def ensure_defaults() -> None:
    licensing_defaults.ensure_defaults()
    training_defaults.ensure_defaults()
    coaching_defaults.ensure_defaults()
