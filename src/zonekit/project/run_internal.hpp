// The inside of `zonekit run` (run.hpp), shared by its two source files: run.cpp does the jobs and writes the
// files; run_report.cpp writes what the run says of itself (report.md/html, the insets, summary.json).
// Not part of the library's interface.
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/output_files.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/area_table.hpp"
#include "zonekit/ops/overlay.hpp"
#include "zonekit/ops/tabulate.hpp"
#include "zonekit/ops/zone_stats.hpp"
#include "zonekit/present/render.hpp"
#include "zonekit/present/report_map.hpp"
#include "zonekit/project/project.hpp"
#include "zonekit/project/run.hpp"
#include "zonekit/project/screen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zk::run_detail {

namespace fs = std::filesystem;

struct OpenLayer {
    Source source;
    OGRLayer* layer = nullptr;
};

OpenLayer open_layer(const LayerSpec& spec);
// The declared layer `name`; throws InputError naming the project file when there is none.
const LayerSpec& declared(const Project& project, const std::string& name);
ReadOptions read_options(const LayerSpec& spec);

// The results of the jobs, kept for the report and summary.json.
struct AreaResult {
    const AreaJob* job;
    AreaTable table;
};
struct TableResult {
    const TableJob* job;
    TabulateTable table;
    std::string control_note;
};
struct CountResult {
    const ZoneStatJob* job;
    ZoneCountTable table;
};
struct LengthResult {
    const ZoneStatJob* job;
    ZoneLengthTable table;
};
struct OverlayResult {
    const OverlayJob* job;
    std::int64_t features = 0;
    OverlayStats stats;
};
struct LayerResult {
    const LayerSpec* spec;
    LayerInfo info;
    std::int64_t written = 0;
    std::optional<Areas> total;  // the sum of its features' areas, for a polygonal layer
};

// One file an input layer is read from, for the report's record of its sources.
struct InputFile {
    std::string layer;  // the layer's name in the project ("" on the further files of the same layer)
    std::string file;
    std::string source_layer;
    std::int64_t features = -1;  // on the layer's first file
    std::uintmax_t bytes = 0;
    std::string sha256;          // "" for a remote source
};

class Runner {
public:
    Runner(const Project& project, const RunOptions& options) : m_project(project), m_options(options) {}

    RunOutcome run();

private:
    // Adds a warning about `subject` unless the same was said already (e.g. zone straddling, found by the
    // table of a layer and again when the layer is written).
    void warn(const std::string& subject, const std::string& text) {
        if (std::find(m_said.begin(), m_said.end(), text) != m_said.end()) return;
        m_said.push_back(text);
        m_outcome.warnings.push_back(fmt::format("{}: {}", subject, text));
    }
    void step(const std::string& what) const {
        if (m_options.step) m_options.step(what);
    }
    // Where output `file` ends up, and where it is written until the run is complete (output_files.hpp).
    std::string target(const std::string& file) const { return (fs::path(m_outcome.outdir) / file).string(); }
    std::string staged(const std::string& file) const { return m_stage->path(file); }
    void plan_outputs();
    void fill_summary();
    void measure_areas(const AreaJob& job);
    void tabulate_job(const TableJob& job);
    // Opens the job's layer and its zones, and hands both readers to `measure`.
    void zone_stat_job(const ZoneStatJob& job, const std::function<void(LayerReader&, LayerReader&)>& measure);
    void count_job(const ZoneStatJob& job);
    void length_job(const ZoneStatJob& job);
    void overlay_job(GpkgWriter& gpkg, const OverlayJob& job);
    void write_tables(GpkgWriter& gpkg);
    void write_text(const std::string& file, const std::string& text);
    void write_csv(const std::string& file, const std::string& text);  // in the project's csv_encoding
    void record_inputs();
    void draw_insets(std::map<std::string, std::string>& svg);
    std::string report_markdown() const;
    std::string title_block() const;
    std::vector<HoverLayer> hover_layers() const;
    std::string summary_json() const;
    MapSpec map_spec() const;

    const Project& m_project;
    const RunOptions& m_options;
    RunOutcome m_outcome;
    OutputOptions m_out;
    std::optional<StagedOutputs> m_stage;
    Crs m_crs;
    GeosContext m_ctx;
    std::string m_title;
    std::vector<LayerResult> m_layers;
    std::vector<AreaResult> m_areas;
    std::vector<TableResult> m_tables;
    std::vector<CountResult> m_counts;
    std::vector<LengthResult> m_lengths;
    std::vector<OverlayResult> m_overlays;
    std::optional<CheckResult> m_check;
    std::optional<ScreenResult> m_screen;
    std::vector<std::string> m_said;
    std::vector<InputFile> m_inputs;
    std::map<std::pair<std::string, std::size_t>, std::string> m_insets;  // (rule, i) → its inset's file
};

}  // namespace zk::run_detail
