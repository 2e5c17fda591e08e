/* name.h - names of files and folders: checked, in NFC, folded. */
#ifndef TOIVO_NAME_H
#define TOIVO_NAME_H

/* What is wrong with a file or folder name: NULL when it is valid UTF-8
 * without control characters, else the problem ("is not valid UTF-8"). */
const char *name_problem(const char *name);
/* The name (or path) in NFC; the caller frees it.  A name with a problem
 * comes back as it is. */
char *name_nfc(const char *name);
/* The name in NFC and lower case, for finding names that a case-blind or
 * normalising file system takes for one; the caller frees it. */
char *name_fold(const char *name);

/* name with bytes that are not valid UTF-8 and control characters written
 * as \xNN, for messages; the caller frees it. */
char *name_shown(const char *name);

#endif
