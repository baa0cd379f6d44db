from . import fs_dispatch_reschedule
from . import fs_dispatch_transfer
from . import fs_dispatch_approval_reject
