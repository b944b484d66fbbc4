# SPDX-License-Identifier: GPL-2.0
# Build xtcp.ko against the running kernel, or KDIR=<kernel build dir>.
KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

check-unit:
	$(MAKE) -C tests/unit check

.PHONY: all modules clean check-unit
