from . import fs_dispatch_reschedule
from . import fs_dispatch_transfer
from . import fs_dispatch_approval_reject
from . import fs_service_report_forged
from . import fs_escalation_decide
from . import account_payment_register
