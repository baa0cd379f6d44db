from . import portal
from . import seal
