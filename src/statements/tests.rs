//! Statements read from short texts: the role, measure and links of each figure, as a table of
//! cases written by reading the text (`tests/data/statements.txt`).
