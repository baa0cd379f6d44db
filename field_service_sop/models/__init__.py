from . import res_company
from . import res_config_settings
from . import fs_service_type
