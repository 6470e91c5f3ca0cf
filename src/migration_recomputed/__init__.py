"""Migration, Recomputed: the small package the chapters import.

data        load a data resource by name, validated against data/datapackage.json
schema      Table Schema checks with errors that name the file, row and column
indicators  reusable computations: implied totals, shares, rankings, growth
charts      the book's Altair theme and figure contract (title, source, alt text, CSV)
claims      check a source document's claim against data: claimed, recomputed, verdict
parameters  validate papermill parameters with errors that name the parameter
prose       glue computed values into a chapter's text, as plain, finite Python values; show() renders
            the book's text in Jupyter with the numbers of the reader's own run
bundle      a chapter as a download that runs: notebook, data, this package, requirements, README
zips        deterministic zip files, not compressed again when their inputs are unchanged
labour_migration  chapter 1's tables: what the source's Tabel 1 and 2 imply; two counts of Central Asians
emigration  chapter 2's tables: asylum claims by Russians, Russia's population, Russians abroad, permits in Europe
development       chapter 4's tables: the note's Tabel 1 beside UNHCR, migrants by UN region (country_converter),
                  remittances against aid and investment, remittance shares in two World Bank editions
"""

__version__ = "0.1.0"
