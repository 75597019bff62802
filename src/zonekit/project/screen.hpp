// Project siting screen (选址合规性分析): every proposed site measured against the plan's layers in one pass.
//
// For each site (a polygon, or a point with a radius), in the analysis CRS with the project's area methods:
//   takes      the part of the site inside each polygon layer of the plan (control lines, zones, land use),
//              its share of the site, and per class of the layer's class field (`by`, default its key);
//   outside    the part of the site outside each of those layers (site − take), e.g. outside the urban boundary;
//   distances  to each line layer, and to each layer with a declared clearance: the closest pair of points and
//              whether the clearance is kept;
//   points     the protected points (ancient trees) inside the site or within their protection radius;
//   verdict    from a rule table that is data (layer, measure, threshold, verdict, wording): the most severe
//              verdict among the rules that fired, with each reason.
//
// How it does less work: every plan layer is held in memory with a packed R-tree; each site takes its
// candidates from the tree, and a prepared geometry of each candidate (one per worker thread) says whether the
// site lies wholly inside it (taken whole, no cut) or misses it; only sites that cross an edge are cut. Sites
// are split over worker threads (one GEOS context each); results come back in the sites' order, identical
// whatever the thread count. A take is the area of the union of the site's pieces in that layer, so features of
// one layer that overlap are not counted twice.
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/io/output_files.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

struct Project;

// The verdicts, mildest first.
enum class Verdict { allowed, conditional, forbidden };
const char* verdict_name(Verdict v);      // "allowed", "conditional", "forbidden"
const char* verdict_label(Verdict v);     // 允许, 有条件允许, 禁止
// Parses the names above; throws InputError listing them otherwise.
Verdict parse_verdict(std::string_view text);

// What a rule of the table measures on one layer:
//   take       m² of the site inside the layer (only the classes named, when `classes` is set) — fires above
//              the threshold (default: the screen's min_area);
//   outside    m² of the site outside the layer — fires above the threshold (default min_area);
//   share      the take's share of the site, 0–1 — fires above the threshold (default 0);
//   clearance  the layer's declared clearance is not kept (distance < clearance) — no threshold;
//   points     protected points of the layer hit by the site — fires above the threshold (default 0).
enum class ScreenMeasure { take, outside, share, clearance, points };
const char* screen_measure_name(ScreenMeasure m);
ScreenMeasure parse_screen_measure(std::string_view text);

// True when `value` is one of `classes` ("01*": starts with "01"); every value matches no classes.
bool class_matches(const std::vector<std::string>& classes, const std::string& value);
// 耕地 in the 三调 classification: first-level code 01, or the names 水田, 水浇地, 旱地.
const std::vector<std::string>& cultivated_classes();

struct ScreenRule {
    std::string layer;                 // a layer of the project (its name in [layers.*])
    ScreenMeasure measure = ScreenMeasure::take;
    std::vector<std::string> classes;  // take/share: only these values of the class field; "01*" = starts with "01"
    std::optional<double> threshold;   // see ScreenMeasure
    Verdict verdict = Verdict::conditional;
    std::string wording;               // the reason in planners' words, e.g. "占用生态保护红线"
    int line = 0, column = 0;          // where declared (project file), 0 when made by a preset or an option
};

// A protection radius around the points of a layer: a number of metres, a field of the layer, or a field plus
// metres ("crown_r+5").
struct ProtectSpec {
    std::string layer;
    double radius_m = 0;
    std::string field;   // "" = radius_m alone
};
// Parses "trees=15", "trees=crown_r", "trees=crown_r+5". Throws InputError otherwise.
ProtectSpec parse_protect(std::string_view text);

struct ClearanceSpec {
    std::string layer;
    double m = 0;
};
// Parses "rivers=50". Throws InputError otherwise.
ClearanceSpec parse_clearance(std::string_view text);

// What to screen and how: the `[screen]` table of a project file, or `zonekit screen`'s options.
//
//   [screen]
//   sites = "sites"                   # a declared layer of polygons (or points with a radius)
//   id_field = "xmmc"                 # default: the sites layer's key, else the feature id
//   radius = 100                      # point sites: metres (default: their field radius_m)
//   preset = "sanxian"                # the three control lines' rules (see sanxian_screen_rules)
//   layers = ["redline", …]           # polygon layers measured (default: every declared polygon layer but the sites)
//   by = { parcels = "dlbm" }         # class field of a layer for by_class (default: for role parcels its DLBM,
//                                     # else DLMC field; else the layer's key)
//   clearance = { rivers = 50 }       # metres from a line or polygon layer
//   protect = { trees = 15 }          # radius around points: metres, a field, or "field+metres"
//   min_area = 1.0                    # m²: the default threshold of take/outside rules (default [project] min_area)
//   [[screen.rules]]
//   layer = "parcels"  measure = "take"  classes = ["01*"]  above = 0  verdict = "conditional"  wording = "占用耕地"
struct ScreenSpec {
    LayerSpec sites;                   // where the sites are read from (its key: the id field unless id_field)
    std::string id_field;
    std::optional<double> radius;
    std::string radius_field = "radius_m";
    std::string preset;                // "" or "sanxian"
    std::vector<std::string> layers;   // empty: every polygon layer of the project except the sites
    std::vector<std::pair<std::string, std::string>> by;  // layer → class field
    std::vector<ClearanceSpec> clearances;
    std::vector<ProtectSpec> protect;
    std::vector<ScreenRule> rules;
    std::optional<double> min_area;
    bool repair_sites = false;         // screen invalid sites repaired by MakeValid (else each is an error)
    bool declared = false;             // a [screen] table was in the project file
};

// The rules of the preset "sanxian" for the project's layers (other than `sites`) of role redline, farmland and
// urban (each is
// needed; InputError otherwise): forbidden for a take of the red line or of permanent basic farmland above
// min_area, conditional for any part outside the urban boundary above min_area; and, when the project has
// land-use parcels (role parcels), conditional for a take of 耕地 (classes 01*, or 水田/水浇地/旱地 by name).
std::vector<ScreenRule> sanxian_screen_rules(const Project& project, const LayerSpec* sites = nullptr);

// The rules a screen applies: the preset's, then those declared; then for each clearance and each protected
// layer without a rule of its own, a `conditional` rule ("不满足与rivers的50 m间距要求", "涉及trees保护范围").
std::vector<ScreenRule> effective_screen_rules(const Project& project, const ScreenSpec& spec);

// Checks the spec against the project: every layer named is declared, measures fit the layers. Throws
// InputError naming the setting.
void validate_screen(const Project& project, const ScreenSpec& spec);

// ---- Results --------------------------------------------------------------------------------------------

struct ClassTake {
    std::string value;   // the class field's value ("" when null)
    Areas areas;
};

struct SiteTake {
    std::string layer;
    std::string role;
    std::string class_field;        // "" = no by_class
    Areas areas;                    // of the union of the site's pieces in the layer
    double share = 0;               // ellip take / ellip site area
    Areas outside;                  // site − take
    std::vector<ClassTake> by_class;  // sorted by value; each the union of its pieces
    std::optional<Areas> cultivated;  // land-use parcels (role parcels): the union of its 耕地 classes
};

struct SiteDistance {
    std::string layer;
    bool found = false;             // false: the layer has no features
    double m = 0;                   // geodesic length of the closest pair (0 when they meet)
    double plan_m = 0;              // in the plane of the analysis CRS
    std::optional<double> clearance_m;
    bool kept = true;               // m >= clearance (true without a clearance)
    std::int64_t fid = -1;          // the closest feature
    std::string key;
    double site_x = 0, site_y = 0;  // the closest pair, analysis CRS
    double layer_x = 0, layer_y = 0;
};

struct SitePoint {
    std::string layer;
    std::int64_t fid = 0;
    std::string id;                 // the layer's key value, else the fid
    double radius_m = 0;            // its protection radius
    double distance_m = 0;          // from the site (0 inside)
    bool inside = false;
    double x = 0, y = 0;            // analysis CRS
};

struct SitePiece {                  // for the map: the site cut by one feature of a measured layer
    std::string layer;
    std::string role;
    std::string value;              // class value ("" without a class field)
    std::int64_t fid = 0;           // the plan feature
    bool whole = false;             // the whole site (it lies inside that feature)
    Areas areas;
    GeomPtr geom;                   // null when whole: the site's own geometry
};

struct SiteResult {
    std::int64_t fid = 0;           // in the sites layer
    std::string id;                 // id field value, else the fid
    std::string error;              // non-empty: a bad site (empty, invalid, not polygonal), not screened
    OGRFeatureUniquePtr attributes; // its fields as read (ScreenResult::sites_defn)
    GeomPtr geom;                   // the site in the analysis CRS (a point site: its circle); as drawn for an error
    double radius_m = 0;            // a point site: the radius its circle was drawn with
    Areas area;
    double lon = 0, lat = 0;        // a point on the site, CGCS2000 degrees
    Box box;                        // analysis CRS
    std::vector<SiteTake> takes;    // in the order of ScreenResult::take_layers
    std::vector<SiteDistance> distances;  // in the order of ScreenResult::distance_layers
    std::vector<SitePoint> points;  // every point hit, by layer then distance
    std::vector<SitePiece> pieces;
    Verdict verdict = Verdict::allowed;
    std::vector<std::string> reasons;  // the wording of each rule that fired, with its figure
    const SiteTake* take(const std::string& layer) const;
    const SiteDistance* distance(const std::string& layer) const;
};

struct ScreenResult {
    // The GEOS context every geometry of the result was made with (or adopted by): kept alive by the result, and
    // destroyed after its geometries (declared first).
    std::shared_ptr<GeosContext> ctx;
    Crs analysis;
    std::string sites_source;        // "'sites.gpkg' layer 'sites'"
    std::shared_ptr<OGRFeatureDefn> sites_defn;  // the sites layer's fields
    std::vector<std::string> take_layers, distance_layers, point_layers;
    std::vector<ScreenRule> rules;
    double min_area = 1.0;
    std::vector<SiteResult> sites;   // in the sites layer's order
    std::vector<std::string> notes;  // CRS choice, reprojections
    std::vector<std::string> warnings;
    std::size_t count(Verdict v) const;   // screened sites with that verdict
    std::size_t errors() const;           // bad sites
};

struct ScreenOptions {
    unsigned threads = 0;              // 0 = all cores
    AreaOptions area;
    bool make_valid = false;           // repair invalid sites (also ScreenSpec::repair_sites)
    std::function<void(double)> progress;  // fraction of sites done, on the calling thread
};

// Screens the sites. Throws InputError for bad layers or settings (a bad site is not thrown: it is that
// site's error).
ScreenResult run_screen(const Project& project, const ScreenSpec& spec, const ScreenOptions& options);

// ---- Outputs --------------------------------------------------------------------------------------------

// {"sites":[{"id":…, "verdict":…, "reasons":[…], "area_m2":x, "takes":{"<layer>":{"ellip_m2":x, "share":x,
//   "by_class":{"<value>":x}}}, "distances":{"<layer>":{"m":x, "clearance_m":x|null, "kept":bool}},
//   "points":{"<layer>":[ids]}}], …} — the shape scripts rely on; bad sites carry "error" and no figures.
std::string screen_json(const ScreenResult& result);
// One row per site: id, verdict, reasons, area, per layer take (m², ha, 亩, share) and outside, distances,
// points. UTF-8 with a BOM, so Excel reads the names.
std::string screen_csv(const ScreenResult& result);

struct ScreenFiles {
    std::vector<std::string> files;    // written (names in the directory), in order
    std::vector<std::string> warnings;
};
// Writes screen.gpkg, screen.csv, screen.json, screen.md and screen.html into `stage` (see StagedOutputs).
// The report has one section per site (a printed page each); `max_maps` of them, the most severe verdicts
// first, get a map of the site over the plan's layers (from `project`), inline in screen.html.
ScreenFiles write_screen_outputs(const Project& project, const ScreenResult& result, StagedOutputs& stage,
                                 const OutputOptions& options, const std::string& title, std::size_t max_maps = 200);

// The names write_screen_outputs writes.
std::vector<std::string> screen_output_names();

}  // namespace zk
