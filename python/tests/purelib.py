"""Print the directory of pure modules that this interpreter searches under
the prefix given (Debian: /usr/lib/python3/dist-packages for /usr,
/usr/local/lib/python3.X/dist-packages for /usr/local), or nothing when it
searches none there (a private prefix: meson's default applies)."""

import os
import sys

prefix = os.path.abspath(sys.argv[1])
for path in sys.path:
    rel = os.path.relpath(path, prefix) if path else '..'
    if (rel.startswith('lib' + os.sep) and os.path.basename(path) in ('dist-packages',
                                                                        'site-packages')):
        print(path)
        break
