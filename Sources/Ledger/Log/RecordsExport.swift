// A ledger's records, their layout and their errors are their own module, so a client that
// checks a receipt (`pilot`) reads records without linking LMDB; every user of the ledger
// sees them as the ledger's own.
@_exported import LedgerRecords
