// Plan validation: rules over layers (no-overlap, no-self-overlap, covers, within, valid, slivers, clearance)
// whose every finding is a feature — where, how big, which source features — and a row in a report.
//
// The engine is the overlay's: each layer is held in memory in the analysis CRS with a packed R-tree over its
// envelopes; candidates come from the tree, prepared geometries answer "does it touch / lie inside" before any
// overlay is cut; the features of the tested layer are split over worker threads (one GEOS context each) and
// the findings merged in feature order, then sorted largest first — identical whatever the thread count.
// GEOS 3.11 has no coverage validator, so gaps are the boundary minus the (cascaded) union of the layer, and
// overlaps are pairwise intersections of candidates.
#pragma once

#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/io/source.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

enum class RuleKind { no_overlap, no_self_overlap, covers, within, valid, slivers, clearance };

// "no-overlap", "no-self-overlap", "covers", "within", "valid", "slivers", "clearance".
const char* rule_kind_name(RuleKind kind);
// The rule in a planner's words: 图层间重叠, 图层内重叠, 未完全覆盖（缝隙）, 超出范围, 几何无效, 细碎图斑, 安全距离.
const char* rule_kind_title(RuleKind kind);
// Parses the names above (also with '_'); throws InputError listing the rules otherwise.
RuleKind parse_rule_kind(std::string_view text);
std::optional<RuleKind> find_rule_kind(std::string_view text);

// One rule on named layers. The order of `layers` is the rule's own:
//   no-overlap [A, B] (one pair; see pairwise_no_overlap), no-self-overlap [A], covers [BOUNDARY, A],
//   within [A, BOUNDARY], valid [A], slivers [A], clearance [A, FROM].
struct RuleSpec {
    RuleKind kind = RuleKind::valid;
    std::vector<std::string> layers;
    double max_width = 0;               // slivers: metres
    double distance = 0;                // clearance: metres
    std::optional<double> min_area;     // m²; unset = the plan's default
    int line = 0, column = 0;           // where the rule was declared (project file), 0 when ad hoc
};

// The number of layers a rule takes.
std::size_t rule_arity(RuleKind kind);
// The rule's findings layer name: the rule with '_' for '-', then its layers, e.g. "no_overlap_redline_farmland".
std::string rule_name(const RuleSpec& rule);
// no-overlap over N layers as its N(N-1)/2 pairs, in the order given.
std::vector<RuleSpec> pairwise_no_overlap(const std::vector<std::string>& layers);
// The preset "sanxian" (三条控制线): the three pairwise no-overlaps, each line within the boundary, each valid.
std::vector<RuleSpec> sanxian_rules(const std::string& boundary, const std::string& redline,
                                    const std::string& farmland, const std::string& urban);

// One feature held for checking, in the analysis CRS.
struct CheckFeature {
    std::int64_t fid = 0;
    std::string key;
    GeomPtr geom;       // as read; may be invalid
    GeomPtr repaired;   // MakeValid'd polygonal form when `geom` is an invalid polygon; else null
    GeomPtr changed;    // with `repaired`: the part the repair decided (Repair::changed), possibly empty
    Validity validity;
    Box box;
    bool polygonal = false;
    // The geometry the overlap rules use: the repaired one when there is one.
    const GEOSGeometry* usable() const { return repaired ? repaired.get() : geom.get(); }
};

// A layer held in memory with an R-tree over its features' envelopes. Features without geometry (or empty)
// are not held; their count is kept.
class CheckLayer {
public:
    CheckLayer() = default;
    CheckLayer(GeosContext& ctx, std::string name, std::vector<CheckFeature> features);
    const std::string& name() const { return m_name; }
    const std::vector<CheckFeature>& features() const { return m_features; }
    const GeomIndex& index() const { return m_index; }
    std::int64_t without_geometry = 0;
    std::string source;   // "'file' layer 'name'" for messages
    std::vector<std::string> notes;  // said once per layer (repairs, collections), not once per rule

private:
    std::string m_name;
    std::vector<CheckFeature> m_features;
    GeomIndex m_index;
};

// A feature for a test or an in-memory layer: validity, envelope and the repaired form are filled in.
CheckFeature make_check_feature(GeosContext& ctx, std::int64_t fid, std::string key, GeomPtr geom,
                                MakeValidMethod method = MakeValidMethod::linework);

// Reads a layer into the analysis CRS. Throws InputError naming the file and layer (missing key field, …, and
// an invalid polygon when spec.source.strict).
CheckLayer load_check_layer(GeosContext& ctx, const LayerSpec& spec, const Crs& analysis);

// The layers' descriptions (for choosing the analysis CRS). Throws InputError for a missing file or layer.
std::vector<LayerInfo> describe_layers(const std::vector<LayerSpec>& layers);

struct Finding {
    std::string rule;      // "no-overlap", …
    std::string layer_a;
    std::int64_t fid_a = -1;   // -1: none (written as null)
    std::string key_a;
    std::string layer_b;   // "" where the rule has one side
    std::int64_t fid_b = -1;
    std::string key_b;
    double plan_m2 = 0, ellip_m2 = 0;
    double pt_x = 0, pt_y = 0;  // a representative point: on the finding's surface, GEOS's location of an
                                // invalidity, or the point of A nearest to B (clearance)
    double lon = 0, lat = 0;    // the same point in CGCS2000 longitude/latitude (EPSG:4490), degrees
    bool below_tolerance = false;
    std::string detail;         // e.g. GEOS's reason, "gap", "0.50 m wide", "12.3 m from rivers"
    GeomPtr geom;
};

struct RuleResult {
    RuleSpec spec;
    std::string name;                 // rule_name(spec)
    double min_area = 1.0;            // the tolerance applied, m²
    std::vector<Finding> findings;    // above tolerance first, each group largest first
    std::int64_t above = 0, below = 0;
    double above_m2 = 0, below_m2 = 0;
    std::vector<std::string> notes;   // e.g. invalid features repaired for this rule
    bool ok() const { return above == 0; }
    // Geometry type of the findings layer: MultiPolygon, or Unknown for valid/clearance.
    OGRwkbGeometryType geometry_type() const;
};

struct CheckOptions {
    unsigned threads = 0;        // 0 = all cores
    double min_area = 1.0;       // default tolerance, m², for rules without their own
    AreaOptions area;
};

// The layers of a check, by name.
struct LayerSet {
    std::vector<CheckLayer> layers;
    const CheckLayer& get(const std::string& name) const;  // throws InputError listing the names
};

// Runs one rule. Throws InputError for a layer the rule cannot use (e.g. lines for covers).
RuleResult run_rule(GeosContext& ctx, const RuleSpec& rule, const LayerSet& layers, const Crs& analysis,
                    const CheckOptions& options);

struct CheckPlan {
    std::vector<LayerSpec> layers;
    std::vector<RuleSpec> rules;
    std::optional<Crs> crs;        // requested analysis CRS
};

struct CheckResult {
    Crs analysis;
    std::vector<RuleResult> rules;
    std::vector<std::string> notes;
    bool ok() const;
};

// Checks the plan: every rule's layers must be declared (InputError naming the rule and the layers known).
CheckResult run_check(GeosContext& ctx, const CheckPlan& plan, const CheckOptions& options);
// Throws InputError when a rule names a layer that the plan does not declare, or has the wrong number of
// layers or a bad parameter (max_width, distance).
void validate_plan(const CheckPlan& plan);

// ---- Reports and the findings file ---------------------------------------------------------------------
// {"rules":[{"rule":…, "layers":[…], "ok":bool, "findings":n, "area_m2":x, "below_tolerance":n,
//   "below_tolerance_area_m2":x}]}
std::string check_report_json(const CheckResult& result);
struct CheckReportOptions {
    std::size_t largest = 10;  // findings listed per rule
    bool notes = true;         // the rules' and the check's notes (a caller that lists them itself says false)
    // When set, a last column "近景 inset" holding inset(rule, i) for the i-th finding listed (e.g. a link).
    std::function<std::string(const RuleResult&, std::size_t)> inset;
};
// A Markdown report in Chinese (English in *small type*): the verdict per rule, one line per rule for the
// findings below tolerance, then per failing rule its largest findings above tolerance.
std::string check_report_markdown(const CheckResult& result, const CheckReportOptions& options = {});
// The summary for the terminal: one line per rule, and the largest findings of each failing rule.
std::string check_summary(const CheckResult& result, std::size_t largest = 5);

// Field names of a findings layer, in order.
const std::vector<std::string>& finding_field_names();

}  // namespace zk
