#ifndef ROCKS_CLMDB_SHIM_H
#define ROCKS_CLMDB_SHIM_H
// LMDB's API is plain functions and constants, which Swift imports directly; this shim only
// gathers the header so the `Ledger` module is the single place that links liblmdb.
#include <lmdb.h>
#endif
