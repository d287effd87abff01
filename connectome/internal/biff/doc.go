// Package biff reads the cell values of legacy Excel 97–2003 workbooks (.xls,
// BIFF8 records inside an OLE2 compound file).
//
// Only what a data table needs is decoded: sheet names and the value of every
// cell (shared strings via SST/LABELSST, inline LABEL strings, NUMBER, RK and
// MULRK numbers, BOOLERR, and the cached result of FORMULA cells). Formatting,
// dates, merged ranges and charts are ignored: a date is returned as its
// serial number. The record layouts follow Microsoft's [MS-XLS] specification
// (sections 2.4 and 2.5); the compound-file container is read with
// github.com/richardlehane/mscfb.
//
// Rows and columns are 0-based. Every error names the file (when known), the
// record type and its byte offset in the Workbook stream.
package biff
