#ifndef ROCKS_CSODIUM_SHIM_H
#define ROCKS_CSODIUM_SHIM_H
#include <sodium.h>
#endif
