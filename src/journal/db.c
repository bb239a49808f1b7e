/*
 * db.c - opening the journal (path, file modes, pragmas, migrations) and
 * the settings.  Entries are in entry.c, the rest in their own files.
 * See include/gutskin/journal.h.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal/db_internal.h"

#define GS_DB_APPLICATION_ID 1196640846 /* 'GSJN' */
#define GS_DB_BUSY_MS 5000

/* The SQL of each prepared statement, indexed by enum gs_db_stmt. */
static const char *const stmt_sql[GS_STMT_COUNT] = {
    [GS_STMT_INSERT_ENTRY] = "INSERT INTO entry(at_wall, at_offset, kind, name, value, unit, note)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [GS_STMT_EVENTS] = "SELECT id, at_wall, at_offset, kind, name, value, unit, note FROM entry"
                       " WHERE at_wall BETWEEN ?1 AND ?2 ORDER BY at_wall, id",
    [GS_STMT_GET] = "SELECT id, at_wall, at_offset, kind, name, value, unit, note FROM entry"
                    " WHERE id = ?1",
    [GS_STMT_UPDATE] = "UPDATE entry SET at_wall = ?2, at_offset = ?3, name = ?4, value = ?5,"
                       " unit = ?6, note = ?7 WHERE id = ?1",
    [GS_STMT_DELETE] = "DELETE FROM entry WHERE id = ?1",
    [GS_STMT_LAST] = "SELECT max(id) FROM entry",
    [GS_STMT_RUNNING_BY_NAME] = "SELECT e.id, e.at_wall FROM intervention i"
                                " JOIN entry e ON e.id = i.start_id"
                                " WHERE i.stop_id IS NULL AND e.name = ?1"
                                " ORDER BY e.at_wall DESC, e.id DESC LIMIT 1",
    [GS_STMT_INTERVENTIONS] = "SELECT s.id, s.name, s.value, s.unit, s.at_wall, s.at_offset,"
                              " t.id, t.at_wall, t.at_offset FROM intervention i"
                              " JOIN entry s ON s.id = i.start_id"
                              " LEFT JOIN entry t ON t.id = i.stop_id"
                              " WHERE ?1 = 0 OR i.stop_id IS NULL ORDER BY s.at_wall, s.id",
    [GS_STMT_INSERT_INTERVENTION] = "INSERT INTO intervention(start_id) VALUES (?1)",
    [GS_STMT_SET_STOP] = "UPDATE intervention SET stop_id = ?2 WHERE start_id = ?1",
    [GS_STMT_PAIR_OF] = "SELECT i.start_id, i.stop_id, s.at_wall, t.at_wall FROM intervention i"
                        " JOIN entry s ON s.id = i.start_id LEFT JOIN entry t ON t.id = i.stop_id"
                        " WHERE i.start_id = ?1 OR i.stop_id = ?1",
    [GS_STMT_RENAME] = "UPDATE entry SET name = ?2 WHERE id = ?1",
    [GS_STMT_INTERLEAVED] = "SELECT i.start_id FROM intervention i JOIN entry s ON s.id = i.start_id"
                            " WHERE s.name = ?1 AND i.start_id != ?2"
                            " AND NOT (i.stop_id IS NOT NULL AND i.stop_id < ?2)"
                            " AND NOT (?3 IS NOT NULL AND ?3 < i.start_id)"
                            " ORDER BY i.start_id LIMIT 1",
    [GS_STMT_INSERT_RESPONSE] = "INSERT INTO response(at_wall, at_offset, instrument, answers,"
                                " report) VALUES (?1, ?2, ?3, ?4, ?5)",
    [GS_STMT_RESPONSES] = "SELECT id, at_wall, at_offset, instrument, answers, report"
                          " FROM response ORDER BY at_wall, id",
    [GS_STMT_INSERT_TAG] = "INSERT OR IGNORE INTO food_tag(food, tag) VALUES (?1, ?2)",
    [GS_STMT_TAGS] = "SELECT food, tag FROM food_tag ORDER BY id",
    [GS_STMT_SET_SETTING] = "INSERT INTO setting(key, value) VALUES (?1, ?2)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
};

gs_status gs_db_sql_fail(sqlite3 *sql, const char *what, gs_err *err)
{
    int code = sqlite3_extended_errcode(sql);
    gs_status st = (code & 0xff) == SQLITE_CONSTRAINT ? GS_ERR_INPUT : GS_ERR_IO;
    return gs_fail(err, st, "%s: %s", what, sqlite3_errmsg(sql));
}

gs_status gs_db_exec(sqlite3 *sql, const char *sql_text, const char *what, gs_err *err)
{
    if (sqlite3_exec(sql, sql_text, NULL, NULL, NULL) != SQLITE_OK)
        return gs_db_sql_fail(sql, what, err);
    return GS_OK;
}

gs_status gs_db_default_path(char *buf, size_t len, gs_err *err)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/gutskin/journal.db", xdg);
    else if (home && home[0])
        n = snprintf(buf, len, "%s/.local/share/gutskin/journal.db", home);
    else
        return gs_fail(err, GS_ERR_IO,
                       "cannot find the default journal: neither XDG_DATA_HOME (absolute) "
                       "nor HOME is set; give --db PATH");
    if (n < 0 || (size_t)n >= len)
        return gs_fail(err, GS_ERR_IO, "the default journal path is longer than %zu bytes",
                       len - 1);
    return GS_OK;
}

/* mkdir -p of the directories above the file path, each created 0700. */
static gs_status make_parent_dirs(const char *path, gs_err *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return GS_OK;
    *slash = '\0';
    for (char *p = dir + 1; ; p++) {
        if (*p != '/' && *p != '\0') continue;
        char was = *p;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return gs_fail(err, GS_ERR_IO, "cannot create directory %s: %s", dir,
                           strerror(errno));
        *p = was;
        if (was == '\0') break;
    }
    return GS_OK;
}

/* Create path with mode 0600 whatever the umask, unless it exists.
 * SQLite gives the -wal and -shm files the mode of the database file. */
static gs_status create_private_file(const char *path, gs_err *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return GS_OK;
        return gs_fail(err, GS_ERR_IO, "cannot create journal %s: %s", path, strerror(errno));
    }
    int rc = fchmod(fd, 0600);
    close(fd);
    if (rc != 0)
        return gs_fail(err, GS_ERR_IO, "cannot make journal %s private: %s", path,
                       strerror(errno));
    return GS_OK;
}

static gs_status read_int_pragma(sqlite3 *sql, const char *pragma, int *out, gs_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(sql, pragma, -1, &st, NULL) != SQLITE_OK)
        return gs_db_sql_fail(sql, "reading the journal", err);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return gs_db_sql_fail(sql, "reading the journal", err);
    return GS_OK;
}

/* Bring the open file from its version to target, one step per
 * transaction; BEGIN IMMEDIATE and re-reading the version inside it keep
 * two processes opening the same old journal from running a step twice. */
static gs_status migrate(sqlite3 *sql, const char *path, int target, gs_err *err)
{
    for (int locked = 0;; locked = 1) {
        /* a journal already at target needs no write lock: opening it
         * while another process writes (an import, the server) must not
         * wait for that writer */
        gs_status st = gs_db_exec(sql, locked ? "BEGIN IMMEDIATE" : "BEGIN", "locking the journal",
                                  err);
        if (st) return st;
        int version, app;
        if ((st = read_int_pragma(sql, "PRAGMA user_version", &version, err)) ||
            (st = read_int_pragma(sql, "PRAGMA application_id", &app, err))) {
            gs_db_exec(sql, "ROLLBACK", "", NULL);
            return st;
        }
        if (version > GS_DB_SCHEMA_VERSION) {
            gs_db_exec(sql, "ROLLBACK", "", NULL);
            return gs_fail(err, GS_ERR_INPUT,
                           "journal %s has schema version %d, written by a newer gutskin; "
                           "this one reads versions up to %d, so it leaves the file alone",
                           path, version, GS_DB_SCHEMA_VERSION);
        }
        if ((version > 0 && app != GS_DB_APPLICATION_ID) || (version == 0 && app != 0)) {
            gs_db_exec(sql, "ROLLBACK", "", NULL);
            return gs_fail(err, GS_ERR_INPUT, "%s is an SQLite file but not a gutskin journal",
                           path);
        }
        if (version == 0) {
            /* a version-0 file must be empty, or it is someone else's */
            int tables;
            st = read_int_pragma(sql, "SELECT count(*) FROM sqlite_schema", &tables, err);
            if (st || tables > 0) {
                gs_db_exec(sql, "ROLLBACK", "", NULL);
                return st ? st
                          : gs_fail(err, GS_ERR_INPUT,
                                    "%s is an SQLite file but not a gutskin journal", path);
            }
        }
        if (version >= target) return gs_db_exec(sql, "COMMIT", "opening the journal", err);
        if (!locked) { /* take the write lock, then look again */
            gs_db_exec(sql, "ROLLBACK", "", NULL);
            continue;
        }
        char what[64], set[64];
        snprintf(what, sizeof what, "migrating the journal to schema version %d", version + 1);
        snprintf(set, sizeof set, "PRAGMA user_version = %d", version + 1);
        if ((st = gs_db_exec(sql, gs_db_schema_steps[version + 1], what, err)) ||
            (st = gs_db_exec(sql, set, what, err)) ||
            (st = gs_db_exec(sql, "COMMIT", what, err))) {
            gs_db_exec(sql, "ROLLBACK", "", NULL);
            return st;
        }
    }
}

/* Open the file with the pragmas every connection needs and migrate it to
 * target.  On failure *out is NULL and nothing is left open. */
static gs_status open_sql(const char *path, int target, sqlite3 **out, gs_err *err)
{
    *out = NULL;
    gs_status st = create_private_file(path, err);
    if (st) return st;
    sqlite3 *sql;
    /* NOMUTEX: SQLite's own per-call locking of the connection is left
     * out, because a gs_db (and the connection of gs_db_create_version,
     * used and closed in one call) is used by one thread at a time
     * (journal.h); the server's pool keeps that invariant with a mutex per
     * connection (src/server/journal_pool.h).  The library stays
     * thread-safe across connections (Debian builds it threadsafe). */
    if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        st = gs_fail(err, GS_ERR_IO, "cannot open journal %s: %s", path,
                     sql ? sqlite3_errmsg(sql) : "out of memory");
        sqlite3_close(sql);
        return st;
    }
    sqlite3_extended_result_codes(sql, 1);
    sqlite3_busy_timeout(sql, GS_DB_BUSY_MS);
    int ignored;
    if (read_int_pragma(sql, "PRAGMA user_version", &ignored, err) != GS_OK) {
        st = sqlite3_errcode(sql) == SQLITE_NOTADB
                 ? gs_fail(err, GS_ERR_INPUT, "%s is not a gutskin journal (not an SQLite file)",
                           path)
                 : GS_ERR_IO;
        sqlite3_close(sql);
        return st;
    }
    /* WAL: readers never block the writer; synchronous=NORMAL is durable
     * across a process crash and costs no fsync per commit. */
    sqlite3_stmt *wal;
    int is_wal = 0;
    if (sqlite3_prepare_v2(sql, "PRAGMA journal_mode = WAL", -1, &wal, NULL) == SQLITE_OK) {
        if (sqlite3_step(wal) == SQLITE_ROW)
            is_wal = strcmp((const char *)sqlite3_column_text(wal, 0), "wal") == 0;
        sqlite3_finalize(wal);
    }
    if (!is_wal) {
        st = gs_fail(err, GS_ERR_IO, "cannot put journal %s in WAL mode: %s", path,
                     sqlite3_errmsg(sql));
        sqlite3_close(sql);
        return st;
    }
    if ((st = gs_db_exec(sql, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                         "setting up the journal", err)) ||
        (st = migrate(sql, path, target, err))) {
        sqlite3_close(sql);
        return st;
    }
    *out = sql;
    return GS_OK;
}

/* Read the stored settings into db (defaults where none is stored). */
static void load_settings(gs_db *db)
{
    db->day_start = GS_DB_DAY_START_DEFAULT;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db->sql, "SELECT value FROM setting WHERE key = 'day_start'", -1,
                           &q, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(q) == SQLITE_ROW) {
        int minutes = sqlite3_column_int(q, 0);
        if (minutes >= 0 && minutes < 1440) db->day_start = minutes;
    }
    sqlite3_finalize(q);
}

gs_status gs_db_open(const char *path, gs_db **out, gs_err *err)
{
    *out = NULL;
    gs_db *db = calloc(1, sizeof *db);
    if (!db) return gs_fail(err, GS_ERR_NOMEM, "out of memory opening the journal");
    gs_status st;
    if (path) {
        if (strlen(path) >= sizeof db->path) {
            free(db);
            return gs_fail(err, GS_ERR_INPUT, "journal path is longer than %zu bytes",
                           sizeof db->path - 1);
        }
        snprintf(db->path, sizeof db->path, "%s", path);
    } else if ((st = gs_db_default_path(db->path, sizeof db->path, err)) ||
               (st = make_parent_dirs(db->path, err))) {
        free(db);
        return st;
    }
    if ((st = open_sql(db->path, GS_DB_SCHEMA_VERSION, &db->sql, err))) {
        free(db);
        return st;
    }
    for (int i = 0; i < GS_STMT_COUNT; i++) {
        assert(stmt_sql[i]);
        if (sqlite3_prepare_v3(db->sql, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &db->stmt[i], NULL) != SQLITE_OK) {
            st = gs_db_sql_fail(db->sql, "preparing the journal's statements", err);
            gs_db_close(db);
            return st;
        }
    }
    load_settings(db);
    *out = db;
    return GS_OK;
}

void gs_db_close(gs_db *db)
{
    if (!db) return;
    if (db->in_transaction) gs_db_rollback(db);
    for (int i = 0; i < GS_STMT_COUNT; i++) sqlite3_finalize(db->stmt[i]);
    sqlite3_close(db->sql);
    free(db);
}

const char *gs_db_path(const gs_db *db) { return db->path; }

gs_status gs_db_create_version(const char *path, int version, gs_err *err)
{
    if (version < 1 || version > GS_DB_SCHEMA_VERSION)
        return gs_fail(err, GS_ERR_INPUT, "schema version %d is not one of 1-%d", version,
                       GS_DB_SCHEMA_VERSION);
    if (access(path, F_OK) == 0)
        return gs_fail(err, GS_ERR_INPUT, "%s exists; an old-version journal is made only "
                                          "in a new file", path);
    sqlite3 *sql;
    gs_status st = open_sql(path, version, &sql, err);
    if (st) return st;
    sqlite3_close(sql);
    return GS_OK;
}

int gs_db_day_start(const gs_db *db) { return db->day_start; }

gs_status gs_db_set_day_start(gs_db *db, int minutes, gs_err *err)
{
    if (minutes < 0 || minutes >= 1440)
        return gs_fail(err, GS_ERR_INPUT, "day start %d is outside 0-1439 minutes (00:00-23:59)",
                       minutes);
    sqlite3_stmt *st = db->stmt[GS_STMT_SET_SETTING];
    sqlite3_bind_text(st, 1, "day_start", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, minutes);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return gs_db_sql_fail(db->sql, "storing the day start", err);
    db->day_start = minutes;
    return GS_OK;
}

gs_status gs_db_begin(gs_db *db, gs_err *err)
{
    assert(!db->in_transaction);
    gs_status st = gs_db_exec(db->sql, "BEGIN IMMEDIATE", "starting a transaction", err);
    if (st == GS_OK) db->in_transaction = 1;
    return st;
}

gs_status gs_db_commit(gs_db *db, gs_err *err)
{
    assert(db->in_transaction);
    gs_status st = gs_db_exec(db->sql, "COMMIT", "committing to the journal", err);
    if (st) gs_db_rollback(db);
    db->in_transaction = 0;
    return st;
}

void gs_db_rollback(gs_db *db)
{
    if (!sqlite3_get_autocommit(db->sql)) sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    db->in_transaction = 0;
    load_settings(db); /* a rolled-back `config` must not linger in the cache */
}
