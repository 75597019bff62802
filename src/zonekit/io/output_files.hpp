// The files of outputs, below every writer: where a temporary goes, how each byte written is checked, how a
// finished output is put in place, what locks a target against a second zonekit, and what an interrupted
// process leaves behind. Every output zonekit writes goes through AtomicOutput (one file or Shapefile) or
// StagedOutputs (the several outputs of one run), so these promises hold for every format:
//  - an existing file is replaced only with `overwrite`, and an input never (check_output_path);
//  - a write that fails (ENOSPC, EROFS, EIO, …) is an OutputError naming the output and the reason, at the
//    write or at the latest when the output is put in place — a truncated file never takes the target's name;
//  - a target being written by another zonekit process is refused at once, naming that process;
//  - the outputs of a run are put in place together, or not at all;
//  - abandon_outputs() (for a signal) removes every temporary of the process.
#pragma once

#include "zonekit/io/gpkg_rtree.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace zk {

struct OutputOptions {
    bool overwrite = false;
    std::vector<std::string> inputs;  // paths that must not be written over
    // GeoJSON: false (default) writes RFC 7946 — WGS 84 longitude/latitude, 7 decimals, exterior rings
    // counter-clockwise, no "crs" member; true writes the layer's own CRS (e.g. CGCS2000 / Gauss–Kruger, full
    // precision) named in a "crs" member (urn:ogc:def:crs:EPSG::4544). Other formats always keep the CRS.
    bool keep_crs = false;
    // Shapefile text: "UTF-8" (.cpg "UTF-8") or "GBK" (.cpg "936" and DBF language driver id 0x4D, CP936).
    // GeoPackage, GeoJSON and CSV are always UTF-8.
    std::string encoding = "UTF-8";
    // GeoPackage written by LayerWriter: the role (layer_roles()) whose style goes into layer_styles as the
    // layer's default; "" = none. (GpkgWriter takes a role per layer.)
    std::string role{};
    // GeoPackage: the most features whose boxes are held for the packed spatial index (gpkg_rtree.hpp);
    // a layer with more gets GDAL's slower index build instead.
    std::size_t rtree_limit = RtreeCollector::default_limit;
};

// Throws OutputError when `target` exists and overwrite is off, or when it is one of the inputs. Names are
// compared as a case-insensitive file system compares them, and a Shapefile by all its files: `target` exists
// when a file of its name, or for a .shp any of its sidecars (.shp .shx .dbf .prj .cpg .qix .sbn .sbx), is in
// its directory in any letter case; it is an input when it, or one of those files, is an input or an input's
// sidecar in any letter case, or the same file through a symlink, `.`/`..` or a hard link (st_dev+st_ino).
// An output that is an input is refused even with overwrite.
void check_output_path(const std::string& target, const OutputOptions& options);

// An exclusive lock on `target` (a file or a directory about to be written) among zonekit processes: a lock file
// beside it (".NAME.zk-lock", or "DIR/.zonekit.lock" for a directory) held with flock(), holding the owner's pid.
// Throws OutputError naming the other process when it is held. The lock file is removed on release; one left
// by a killed process holds no lock (flock dies with its process) and is taken over.
class OutputLock {
public:
    OutputLock(const std::string& target, bool directory);
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;
    ~OutputLock();

private:
    std::string m_path;
    int m_fd = -1;
};

// A temporary path beside the target that becomes the target on commit(); removed if never committed.
// The temporary is a private directory (".NAME.zk-tmp-PID-XXXXXXXX/") holding the file under the target's own
// name and anything its writer adds (a Shapefile's sidecars, SQLite's journal). commit() syncs the files to
// disk, checks that nothing written into them failed, and moves them into place — without overwrite, only if
// the target still does not exist (another process may have made it meanwhile). A Shapefile's .shp moves last.
class AtomicOutput {
public:
    AtomicOutput(std::string target, const OutputOptions& options);
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    ~AtomicOutput();

    const std::string& target() const { return m_target; }
    const std::string& temp_path() const { return m_temp; }
    // The temporary as GDAL should be given it: through the checked file system (checked_gdal_path).
    std::string gdal_path() const;
    // Why a write into the temporary failed ("No space left on device (ENOSPC). Free some space…"), or "": for
    // a writer whose driver reported a failure in its own words.
    std::string write_failure() const;
    void commit();

private:
    std::string m_target;
    std::string m_temp;
    std::filesystem::path m_temp_dir;
    bool m_overwrite = false;
    bool m_committed = false;
    OutputLock m_lock;
};

// The outputs of one run into a directory, written in a staging directory inside it
// ("DIR/.zonekit-staging-PID-XXXXXXXX/", on the same file system as the targets) and put in place together by
// commit(): every target is checked first (exists without overwrite, is an input), then all are moved in, with
// the old files kept aside until the last has moved, so that a failure puts the old ones back. The directory
// is locked against another zonekit for the object's life. Created if missing.
class StagedOutputs {
public:
    StagedOutputs(const std::string& dir, const OutputOptions& options);
    StagedOutputs(const StagedOutputs&) = delete;
    StagedOutputs& operator=(const StagedOutputs&) = delete;
    ~StagedOutputs();

    // Where a writer writes output `file` (a name in the directory) before commit().
    std::string path(const std::string& file) const;
    // Where `file` is after commit().
    std::string target(const std::string& file) const;
    // An output an earlier run wrote into the directory that this one does not write (its summary lists it): with
    // overwrite, commit() removes it once the new outputs are in place, so the directory holds one run's outputs.
    void retire(const std::string& file);
    // Checks every file of the stage against its target and moves them all into place.
    void commit();

private:
    std::string m_dir;
    std::filesystem::path m_stage;
    OutputOptions m_options;
    std::vector<std::string> m_retired;
    bool m_committed = false;
    OutputLock m_lock;
};

// Writes `text` to `path` atomically, every write and the sync checked.
void write_text_file(const std::string& path, const std::string& text, const OutputOptions& options);

// The path under which GDAL writes a file so that every write, the sync and the close are checked: a file
// system of zonekit's own ("/vsizkw/" + path) that records the first failure of each file; commit() of the
// AtomicOutput that holds it turns a recorded failure into an OutputError.
std::string checked_gdal_path(const std::string& path);

// For a process about to exit on a signal: removes every temporary, staging directory and lock file of this
// process's unfinished outputs, and makes every later put-in-place fail; waits for a put-in-place under way to
// end (so a run's outputs are all old or all new). Returns how many it removed. Not for a signal handler: call
// it from a thread that took the signal with sigwait().
std::size_t abandon_outputs() noexcept;

// Test hook, read once from the environment: ZONEKIT_FAULT_WRITE="ENOSPC@BYTES" (or EIO, EROFS, EDQUOT) makes
// every checked write fail with that error once the process has written BYTES bytes through checked writes —
// a full disk where a test cannot mount one. Unset, nothing changes.
struct WriteFault {
    int error = 0;               // errno to fail with; 0 = no fault
    unsigned long long after = 0;
};
WriteFault write_fault();

}  // namespace zk
