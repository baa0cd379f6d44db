from . import res_company
from . import res_config_settings
from . import fs_service_type
from . import fs_dispatch_delegation
from . import fs_dispatch_order
from . import helpdesk_ticket
