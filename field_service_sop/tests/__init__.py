from . import test_settings
from . import test_security
from . import test_ui
from . import test_report
from . import test_dispatch_order
