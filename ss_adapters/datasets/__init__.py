"""Reading uploaded datasets (CSV, Excel, Stata) and staging them as ``.dta`` for Stata."""
