/* value.h - a tree of data: what YAML, JSON and CSV load into, what
 * templates render and what hooks see.
 *
 * A value is owned by its parent; value_free() frees a whole tree.  A value
 * marked `borrowed` belongs to someone else (a subtree shared between many
 * page contexts): value_free() leaves it alone.  Maps keep their keys in
 * insertion order.
 */
#ifndef TOIVO_VALUE_H
#define TOIVO_VALUE_H

#include <stdbool.h>
#include <stddef.h>

enum value_kind { V_NULL, V_BOOL, V_NUM, V_STR, V_LIST, V_MAP };

struct value {
	enum value_kind kind;
	bool borrowed;
	int line, col;          /* where it was read, 1-based; 0 when made */
	union {
		bool b;
		double n;
		struct { char *s; size_t len; } str;
		struct { struct value **items; size_t n, cap; } list;
		struct { char **keys; struct value **vals; size_t n, cap; } map;
	} u;
};

struct value *value_null(void);
struct value *value_bool(bool b);
struct value *value_num(double n);
struct value *value_str(const char *s);
struct value *value_strn(const char *s, size_t len);
/* Takes ownership of s (allocated with malloc). */
struct value *value_str_own(char *s, size_t len);
struct value *value_list(void);
struct value *value_map(void);
/* Frees v and everything it owns; NULL is harmless. */
void value_free(struct value *v);
/* A deep copy (borrowed subtrees are copied too, and the copy owns them). */
struct value *value_copy(const struct value *v);
/* Marks v as borrowed and returns it, for sharing one subtree. */
struct value *value_borrow(struct value *v);

/* Appends item (ownership passes to the list). */
void value_push(struct value *list, struct value *item);
/* Sets key to v (ownership passes to the map), replacing an old value. */
void value_set(struct value *map, const char *key, struct value *v);
void value_set_str(struct value *map, const char *key, const char *s);
void value_set_num(struct value *map, const char *key, double n);
void value_set_bool(struct value *map, const char *key, bool b);
/* Returns the value under key, or NULL; map may be NULL or not a map. */
struct value *value_get(const struct value *map, const char *key);
/* Follows a dotted path ("page.params.title"); NULL when absent. */
struct value *value_path(const struct value *v, const char *dotted);
/* The string of a V_STR, else NULL. */
const char *value_string(const struct value *v);
/* Mustache truthiness: false for NULL, null, false, "" and []; 0 is truthy. */
bool value_truthy(const struct value *v);
/* Appends the textual form (numbers shortest, true/false, null as "") */
struct buf;
void value_to_text(struct buf *b, const struct value *v);
/* Writes s as a JSON string, safe inside a <script> element. */
void value_json_string(struct buf *b, const char *s, size_t len);
/* Writes v as JSON. */
void value_to_json(struct buf *b, const struct value *v);

#endif
