#include "zonekit/geometry/crs.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"

#include <fmt/format.h>
#include <ogr_spatialref.h>
#include <proj.h>

#include <cmath>
#include <vector>

namespace zk {

namespace {
std::shared_ptr<OGRSpatialReference> make_srs() {
    auto srs = std::make_shared<OGRSpatialReference>();
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}
}  // namespace

Crs Crs::from_epsg(int code) {
    gdal_init();
    GdalErrorCapture capture;
    auto srs = make_srs();
    if (srs->importFromEPSG(code) != OGRERR_NONE)
        throw InputError(fmt::format("unknown CRS 'EPSG:{}': {}. Name an EPSG code that PROJ knows, e.g. EPSG:4543",
                                     code, capture.last_error()));
    Crs crs;
    crs.m_srs = std::move(srs);
    return crs;
}

Crs Crs::from_user_text(const std::string& text) {
    gdal_init();
    GdalErrorCapture capture;
    auto srs = make_srs();
    if (srs->SetFromUserInput(text.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS) != OGRERR_NONE)
        throw InputError(fmt::format("unknown CRS '{}': {}. Name it as EPSG:n, e.g. EPSG:4543", text,
                                     capture.last_error()));
    Crs crs;
    crs.m_srs = std::move(srs);
    return crs;
}

Crs Crs::from_srs(const OGRSpatialReference& srs) {
    auto copy = std::shared_ptr<OGRSpatialReference>(srs.Clone());
    copy->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    Crs crs;
    crs.m_srs = std::move(copy);
    return crs;
}

std::optional<int> Crs::epsg() const {
    if (!m_srs) return std::nullopt;
    const char* key = m_srs->IsProjected() ? "PROJCS" : (m_srs->IsGeographic() ? "GEOGCS" : nullptr);
    const char* auth = m_srs->GetAuthorityName(key);
    const char* code = m_srs->GetAuthorityCode(key);
    if (auth && code && std::string(auth) == "EPSG") return std::atoi(code);
    // A CRS read from a file may lack the authority; ask PROJ for an identical EPSG definition.
    OGRSpatialReference probe(*m_srs);
    if (probe.AutoIdentifyEPSG() == OGRERR_NONE) {
        auth = probe.GetAuthorityName(key);
        code = probe.GetAuthorityCode(key);
        if (auth && code && std::string(auth) == "EPSG") return std::atoi(code);
    }
    int confidence_count = 0;
    int* confidences = nullptr;
    OGRSpatialReferenceH* matches = m_srs->FindMatches(nullptr, &confidence_count, &confidences);
    std::optional<int> found;
    if (matches && confidence_count > 0 && confidences[0] >= 90) {
        auto* best = OGRSpatialReference::FromHandle(matches[0]);
        const char* a = best->GetAuthorityName(nullptr);
        const char* c = best->GetAuthorityCode(nullptr);
        if (a && c && std::string(a) == "EPSG") found = std::atoi(c);
    }
    OSRFreeSRSArray(matches);
    CPLFree(confidences);
    return found;
}

std::string Crs::name() const {
    if (!m_srs) return "";
    const char* n = m_srs->GetName();
    return n ? n : "";
}

std::string Crs::label() const {
    if (auto code = epsg()) return fmt::format("EPSG:{}", *code);
    return name();
}

bool Crs::is_geographic() const { return m_srs && m_srs->IsGeographic(); }
bool Crs::is_projected() const { return m_srs && m_srs->IsProjected(); }

bool Crs::same_as(const Crs& other) const {
    if (!m_srs || !other.m_srs) return false;
    const char* options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
    return m_srs->IsSame(other.m_srs.get(), options);
}

Crs Crs::geographic() const {
    auto geog = std::shared_ptr<OGRSpatialReference>(m_srs->CloneGeogCS());
    geog->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    Crs crs;
    crs.m_srs = std::move(geog);
    return crs;
}

double Crs::semi_major() const { return m_srs->GetSemiMajor(); }
double Crs::inverse_flattening() const { return m_srs->GetInvFlattening(); }

bool Crs::is_transverse_mercator() const {
    if (!is_projected()) return false;
    const char* proj = m_srs->GetAttrValue("PROJECTION");
    return proj && std::string(proj) == SRS_PT_TRANSVERSE_MERCATOR;
}

double Crs::central_meridian() const { return m_srs->GetNormProjParm(SRS_PP_CENTRAL_MERIDIAN, 0.0); }
double Crs::false_easting() const { return m_srs->GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0); }

double Crs::zone_half_width() const {
    // CGCS2000 6-degree zones are EPSG:4491–4512; Xian 1980 and Beijing 1954 6-degree zones likewise have
    // "6-degree" in their names. Everything else transverse Mercator is treated as a 3-degree zone.
    auto code = epsg();
    if (code && *code >= 4491 && *code <= 4512) return 3.0;
    std::string n = name();
    if (n.find("6-degree") != std::string::npos || n.find("6 degree") != std::string::npos) return 3.0;
    return 1.5;
}

std::optional<TransverseMercatorParams> Crs::gauss_kruger_params() const {
    if (!is_transverse_mercator()) return std::nullopt;
    if (m_srs->GetNormProjParm(SRS_PP_LATITUDE_OF_ORIGIN, 0.0) != 0.0) return std::nullopt;
    if (m_srs->GetLinearUnits() != 1.0) return std::nullopt;
    if (m_srs->GetPrimeMeridian() != 0.0) return std::nullopt;
    const double inv_f = m_srs->GetInvFlattening();
    if (!(inv_f > 0) || !(m_srs->GetSemiMajor() > 0)) return std::nullopt;
    TransverseMercatorParams p;
    p.a = m_srs->GetSemiMajor();
    p.inv_f = inv_f;
    p.lon0 = m_srs->GetNormProjParm(SRS_PP_CENTRAL_MERIDIAN, 0.0);
    p.k0 = m_srs->GetNormProjParm(SRS_PP_SCALE_FACTOR, 1.0);
    p.false_easting = m_srs->GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0);
    p.false_northing = m_srs->GetNormProjParm(SRS_PP_FALSE_NORTHING, 0.0);
    if (!(p.k0 > 0) || !std::isfinite(p.lon0) || !std::isfinite(p.false_easting) || !std::isfinite(p.false_northing))
        return std::nullopt;
    return p;
}

int cgcs2000_gk3_epsg(double longitude) {
    if (!std::isfinite(longitude) || longitude < 73.5 || longitude > 136.5)
        throw InputError(fmt::format(
            "the data's centre at longitude {:.10g}° lies outside the CGCS2000 3-degree Gauss–Kruger zones "
            "(CM 75°E–135°E). Name an analysis CRS with --crs EPSG:n",
            longitude));
    int cm = static_cast<int>(std::lround(longitude / 3.0)) * 3;
    if (cm < 75) cm = 75;
    if (cm > 135) cm = 135;
    return 4534 + (cm - 75) / 3;
}

Transform::Transform(const Crs& from, const Crs& to) : m_from(from.label()), m_to(to.label()) {
    GdalErrorCapture capture;
    OGRCoordinateTransformationOptions options;
    m_ct.reset(OGRCreateCoordinateTransformation(&from.srs(), &to.srs(), options));
    if (!m_ct)
        throw InputError(fmt::format("cannot transform from {} to {}: {}", m_from, m_to, capture.last_error()));
}

Transform::Transform(const Transform& other) : m_from(other.m_from), m_to(other.m_to) {
    m_ct.reset(other.m_ct->Clone());
    if (!m_ct) throw InputError(fmt::format("cannot copy the transformation from {} to {}", m_from, m_to));
}

Transform::~Transform() = default;

void Transform::Deleter::operator()(OGRCoordinateTransformation* ct) const {
    OGRCoordinateTransformation::DestroyCT(ct);
}

bool Transform::transform(std::size_t n, double* x, double* y) const {
    if (n == 0) return true;
    if (m_ok.size() < n) m_ok.resize(n);
    GdalErrorCapture capture;
    bool all = m_ct->Transform(n, x, y, nullptr, nullptr, m_ok.data());
    if (!all) return false;
    for (std::size_t i = 0; i < n; ++i)
        if (!m_ok[i]) return false;
    return true;
}

TransformQuality transform_quality(const Crs& from, const Crs& to) {
    TransformQuality q;
    if (from.empty() || to.empty()) return q;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    char* wkt_from = nullptr;
    char* wkt_to = nullptr;
    from.srs().exportToWkt(&wkt_from, options);
    to.srs().exportToWkt(&wkt_to, options);
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* a = wkt_from ? proj_create(ctx, wkt_from) : nullptr;
    PJ* b = wkt_to ? proj_create(ctx, wkt_to) : nullptr;
    CPLFree(wkt_from);
    CPLFree(wkt_to);
    if (a && b) {
        PJ_OPERATION_FACTORY_CONTEXT* factory = proj_create_operation_factory_context(ctx, nullptr);
        if (factory) {
            proj_operation_factory_context_set_grid_availability_use(ctx, factory,
                                                                     PROJ_GRID_AVAILABILITY_DISCARD_OPERATION_IF_MISSING_GRID);
            proj_operation_factory_context_set_spatial_criterion(ctx, factory,
                                                                 PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION);
            PJ_OBJ_LIST* ops = proj_create_operations(ctx, a, b, factory);
            if (ops && proj_list_get_count(ops) > 0) {
                PJ* op = proj_list_get(ctx, ops, 0);
                if (op) {
                    q.ballpark = proj_coordoperation_has_ballpark_transformation(ctx, op) != 0;
                    q.accuracy_m = proj_coordoperation_get_accuracy(ctx, op);
                    proj_destroy(op);
                }
            }
            if (ops) proj_list_destroy(ops);
            proj_operation_factory_context_destroy(factory);
        }
    }
    if (a) proj_destroy(a);
    if (b) proj_destroy(b);
    proj_context_destroy(ctx);
    return q;
}

}  // namespace zk
