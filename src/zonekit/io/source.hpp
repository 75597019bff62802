// Reading layers from any OGR source, read-only, into one analysis CRS.
#pragma once

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/edges.hpp"
#include "zonekit/geometry/geos_context.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zk {

struct SourceOptions {
    std::string encoding;            // overrides the text encoding of a Shapefile (e.g. "GBK"); "" = detect
    std::optional<Crs> assume_crs;   // the CRS of a layer that has none (or whose CRS is flagged wrong)
    // The one policy for invalid polygons, in every command: repaired by MakeValid with `make_valid_method`
    // and listed in a warning; refused (InputError naming the feature) when `strict`.
    bool strict = false;
    MakeValidMethod make_valid_method = MakeValidMethod::linework;
    // The one policy for damaged geometry (a blob GDAL cannot read: it gives none, with an error), in every
    // command: refused (InputError naming the feature and GDAL's reason) unless `skip_damaged`, which leaves such
    // features out and records them (FeatureIssue::Kind::damaged) for issue_warnings to count.
    bool skip_damaged = false;
    // Remote and database sources (/vsicurl/, /vsis3/, …, http(s)://, ftp://, PG:, MySQL:, …) are refused
    // (InputError) unless allowed: zonekit makes no network or database connection on its own.
    bool allow_remote = false;
};

// A layer named once: where it is read from and which field identifies its features.
struct LayerSpec {
    std::string name;     // the name rules use, and findings carry in layer_a / layer_b
    std::string path;
    std::string layer;    // "" = the only layer of `path`
    std::string key;      // field whose value goes into key_a / key_b; "" = none
    std::string where;    // OGR SQL attribute filter; "" = all features
    std::string role;     // how the layer is styled and drawn (see layer_roles()); "" = none
    SourceOptions source;
    int line = 0, column = 0;
};

struct FieldInfo {
    std::string name;
    std::string type;  // "String", "Integer", "Integer64", "Real", "Date", ...
};

struct LayerInfo {
    std::string source;              // path as given
    std::string driver;              // GDAL driver short name
    std::string name;
    std::string geometry_type;       // e.g. "Multi Polygon"
    std::int64_t feature_count = 0;
    Crs crs;                          // empty when the layer has none
    bool crs_assumed = false;        // crs comes from --assume-crs
    bool has_extent = false;
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;  // in the layer's own CRS
    std::vector<FieldInfo> fields;
    std::string fid_column;
    std::string encoding;            // how text is read, e.g. "UTF-8", "CP936 (from .dbf language driver id)"
    std::vector<std::string> warnings;
    // Remarks that do not stop a command (a renamed duplicate field, a detected encoding, an error GDAL
    // reported while opening the file); choose_analysis_crs passes them on with its notes.
    std::vector<std::string> notes;
};

// An opened OGR data source, read-only. Shapefile encodings are resolved as it opens.
class Source {
public:
    // Throws InputError naming the path (missing file, unreadable format, not a vector source).
    static Source open(const std::string& path, const SourceOptions& options = {});

    const std::string& path() const { return m_path; }
    std::vector<std::string> layer_names() const;
    // The layer named `name`, or the only layer when `name` is empty. Throws InputError listing the
    // available layers when it is missing or ambiguous.
    OGRLayer* layer(const std::string& name) const;
    LayerInfo describe(OGRLayer* layer) const;
    const SourceOptions& options() const { return m_options; }
    const std::string& encoding_note() const { return m_encoding_note; }
    // The files the source is made of, as GDAL lists them (a Shapefile's .shp, .shx, .dbf, .prj, .cpg…).
    std::vector<std::string> files() const;

private:
    std::string m_path;
    SourceOptions m_options;
    std::string m_encoding_note;
    std::string m_open_error;                                   // GDAL's last error while opening, or ""
    std::vector<std::pair<std::string, std::string>> m_renamed;  // layer name, note on renamed duplicate fields
    GDALDatasetUniquePtr m_ds;
};

// The analysis CRS for a set of layers: `requested` when given; else the CRS of the first projected layer;
// else the CGCS2000 3-degree Gauss–Kruger zone nearest the centre of the (geographic) data.
// Throws InputError for a layer without a CRS.
// `notes` receives a sentence on how it was chosen and on layers that will be reprojected.
Crs choose_analysis_crs(const std::vector<LayerInfo>& layers, const std::optional<Crs>& requested,
                        std::vector<std::string>& notes);

// The message for a layer without a CRS (and no --assume-crs).
std::string no_crs_message(const LayerInfo& info);

// A sentence when the coordinates contradict the CRS's zone prefix (8-digit eastings in a CRS without
// a zone prefix, or the reverse); nullopt when they agree.
std::optional<std::string> zone_prefix_problem(const LayerInfo& info);

class LayerReader;

// One feature read into the analysis CRS.
struct Feature {
    std::int64_t fid = 0;
    OGRFeatureUniquePtr ogr;  // attributes (and the source geometry, already transformed)
    GeomPtr geom;              // null when the feature has no geometry (or while `deferred` is set)
    // Set when the reader left the GEOS conversion of ogr's geometry (ReadOptions::defer_geos) to
    // deferred->finish(ctx, feature), which any thread may call with its own context.
    const LayerReader* deferred = nullptr;
};

struct ReadOptions {
    std::string where;         // OGR SQL attribute filter
    // Test each polygon's OGC validity (GEOS) and apply the source's policy: repair (with a `repaired` issue)
    // or, with SourceOptions::strict, refuse. Off: geometries come as drawn (check judges validity itself).
    bool validate = true;
    // Leave the conversion to GEOS (and the validity test) to LayerReader::finish, e.g. on a worker thread,
    // so the reading thread only reads and transforms.
    bool defer_geos = false;
    // Read only these attribute fields, the others left unset (GDAL then does not even fetch them, e.g. a
    // GeoPackage's SELECT names only these columns): a job that needs one field, as tabulate its class field,
    // reads less. Unset: every field. Not applied with a `where` filter, whose fields GDAL may need to read.
    std::optional<std::vector<std::string>> only_fields;
};

// True when the feature has no geometry, an empty one, or a Polygon/MultiPolygon (also before a deferred
// conversion, from the OGR geometry); and the geometry's type name, for messages.
bool is_polygonal_or_empty(GeosContext& ctx, const Feature& f);
std::string geometry_type_name(GeosContext& ctx, const Feature& f);

// Something noticed about one feature while reading it.
struct FeatureIssue {
    // collection: a GeometryCollection (or mixed multi-geometry) reduced to its parts of the highest dimension.
    // damaged: a geometry GDAL could not read; the feature was left out (SourceOptions::skip_damaged).
    enum class Kind { null_geometry, empty_geometry, invalid, repaired, collection, damaged };
    Kind kind;
    std::int64_t fid = 0;
    // GEOS's reason for invalid/repaired; what was dropped for collection ("1 line, 2 points"); GDAL's error for
    // damaged ("Unable to read geometry").
    std::string reason;
    double x = 0, y = 0;
    bool has_location = false;
    double changed_m2 = 0;   // repaired: the planar area the repair decided (see Repair::changed)
    std::string method;      // repaired by MakeValid: "linework" or "structure"; "" for a ring only closed

    static FeatureIssue of(Kind kind, std::int64_t fid, std::string reason = {}) {
        return {kind, fid, std::move(reason), 0, 0, false, 0, {}};
    }
    // An issue GEOS located (invalid, repaired): its reason and place.
    static FeatureIssue located(Kind kind, std::int64_t fid, const Validity& v) {
        return {kind, fid, v.reason, v.x, v.y, v.has_location, 0, {}};
    }
};
std::string describe(const FeatureIssue& issue);

// The one refusal of an invalid polygon under --strict, wherever it is found: the feature (`where`, as
// LayerReader::where gives it), GEOS's reason and place, and what zonekit does without --strict.
InputError invalid_polygon_refusal(const std::string& where, const Validity& v, MakeValidMethod method);
// The warnings a reader's issues call for, one per kind, each naming the layer and listing the first features:
// damaged geometries left out (GDAL's reason), invalid polygons repaired (with the method and the area each repair
// decided), collections reduced to their polygons (what was dropped), Z/M flattened. Null and empty geometries are
// the caller's to judge.
std::vector<std::string> issue_warnings(const LayerReader& reader);
// Only the warning on damaged geometries left out (--skip-damaged), or "" when there were none: for readers whose
// other issues a command reports in its own words.
std::string damaged_warning(const LayerReader& reader);
// " other than the N with damaged geometry left out (--skip-damaged)", or "": for a message that a layer has no
// features, which would otherwise hide that it had some.
std::string damaged_left_out(const LayerReader& reader);
// The issues of kind `a` or `b`, the first five described one per line; `count` gets how many there are.
std::string list_issues(const std::vector<FeatureIssue>& issues, FeatureIssue::Kind a, FeatureIssue::Kind b,
                        std::size_t& count);

// Streams the features of one layer, transformed into the analysis CRS and converted to GEOS.
class LayerReader {
public:
    LayerReader(const Source& source, OGRLayer* layer, const Crs& analysis, const ReadOptions& options);
    LayerReader(const LayerReader&) = delete;
    LayerReader& operator=(const LayerReader&) = delete;
    ~LayerReader();  // the layer reads every field again (after ReadOptions::only_fields; it must outlive this)

    const LayerInfo& info() const { return m_info; }
    // False at the end. Throws InputError naming the source, layer and feature id on a feature that
    // cannot be read or transformed, and on a damaged geometry unless SourceOptions::skip_damaged (then the
    // feature is left out: the next one comes).
    bool next(GeosContext& ctx, Feature& out);
    // Makes out.geom of a feature whose conversion next() deferred; thread-safe (const), any context.
    // Throws InputError naming the feature when GEOS cannot read its geometry.
    void finish(GeosContext& ctx, Feature& f) const;
    void reset();
    bool reprojected() const { return m_transform.has_value(); }
    bool filtered() const { return !m_options.where.empty(); }
    // Where the message names the feature: "'file' layer 'name' feature 12".
    std::string where(std::int64_t fid) const;
    // What was noticed while reading (and in finish(), from any thread), in feature order.
    std::vector<FeatureIssue> issues() const;
    std::size_t count(FeatureIssue::Kind kind) const;
    std::size_t flattened() const { return m_flattened; }  // 3D/M geometries read as 2D

private:
    GeomPtr convert(GeosContext& ctx, OGRFeature& feature, bool& deferred);
    // The GEOS form of a feature's (transformed) OGR geometry: collections reduced to their highest
    // dimension, invalid polygons repaired or refused by the policy. A changed geometry replaces the OGR one.
    GeomPtr to_geos(GeosContext& ctx, OGRFeature& feature, std::vector<FeatureIssue>& found) const;
    void add_issues(std::vector<FeatureIssue>& found) const;
    mutable std::mutex m_issues_mutex;
    mutable std::vector<FeatureIssue> m_issues;
    std::size_t m_flattened = 0;
    const Source& m_source;
    OGRLayer* m_layer;
    LayerInfo m_info;
    ReadOptions m_options;
    std::optional<Transform> m_transform;
    EdgeRule m_edges;                   // how edges are densified when m_transform is set (edges.hpp)
    bool m_projected_analysis = false;  // the analysis CRS is in metres: coordinates beyond ±1e8 are no place
    bool m_ignoring = false;            // fields are ignored (ReadOptions::only_fields)
};

// Geometry health of a layer, in its own CRS: counts, and the first few problems as GEOS gives them.
struct GeometryStats {
    // unreadable: GEOS cannot read it (also counted invalid); damaged: GDAL cannot read it (not counted null).
    std::int64_t features = 0, null_geometries = 0, empty_geometries = 0, invalid = 0, unreadable = 0, damaged = 0;
    std::int64_t non_utf8_text = 0;           // attribute values that are not valid UTF-8
    std::vector<FeatureIssue> first_problems;  // up to `max_listed`
};
GeometryStats scan_geometries(const Source& source, OGRLayer* layer, const std::string& where,
                              std::size_t max_listed = 5);

// Text is valid UTF-8 / plausible GBK (CP936) byte sequences.
bool is_valid_utf8(std::string_view s);
bool is_plausible_gbk(std::string_view s);

}  // namespace zk
