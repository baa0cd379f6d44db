from . import fs_dispatch_reschedule
from . import fs_dispatch_transfer
