// Coordinate reference systems: lookup, the CGCS2000 Gauss–Kruger zone choice, transformations.
// Every OGRSpatialReference made here uses the traditional GIS axis order (x = easting/longitude), so
// EPSG:4490's official latitude-first order never swaps coordinates.
#pragma once

#include "zonekit/geometry/gauss_kruger.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

class OGRSpatialReference;
class OGRCoordinateTransformation;

namespace zk {

class Crs {
public:
    Crs() = default;
    static Crs from_epsg(int code);
    // "EPSG:4543", "4543", a WKT or PROJ string. Throws InputError naming `text` when unknown.
    static Crs from_user_text(const std::string& text);
    // Takes a copy of `srs` (with traditional axis order).
    static Crs from_srs(const OGRSpatialReference& srs);

    bool empty() const { return !m_srs; }
    const OGRSpatialReference& srs() const { return *m_srs; }

    std::optional<int> epsg() const;
    std::string name() const;
    // "EPSG:4543" when the CRS has an EPSG code, otherwise its name.
    std::string label() const;
    bool is_geographic() const;
    bool is_projected() const;
    bool same_as(const Crs& other) const;

    // The geographic CRS (datum) under this one; for a geographic CRS, itself.
    Crs geographic() const;
    double semi_major() const;
    double inverse_flattening() const;

    // Transverse Mercator parameters, when the CRS is one.
    bool is_transverse_mercator() const;
    double central_meridian() const;
    double false_easting() const;
    // Half the width of the Gauss–Kruger zone the CRS is meant for, in degrees (1.5 or 3).
    double zone_half_width() const;
    // The parameters of the closed-form inverse (GaussKrugerInverse) when the CRS is a transverse Mercator
    // it covers exactly: latitude of origin 0, metres, Greenwich, degrees; nullopt otherwise.
    std::optional<TransverseMercatorParams> gauss_kruger_params() const;

private:
    std::shared_ptr<const OGRSpatialReference> m_srs;
};

// How well PROJ can transform between two CRSs: `ballpark` when the best operation it has only ignores the datum
// difference (e.g. WGS 84 → CGCS2000 without a grid or published parameters); `accuracy_m` is PROJ's stated
// accuracy of that operation, or a negative number when it states none.
struct TransformQuality {
    bool ballpark = false;
    double accuracy_m = -1;
};
TransformQuality transform_quality(const Crs& from, const Crs& to);

// EPSG code of the CGCS2000 3-degree Gauss–Kruger CRS without zone prefix (EPSG:4534–4554, CM 75°E…135°E)
// whose central meridian is nearest `longitude`. Throws InputError outside 73.5°E…136.5°E.
int cgcs2000_gk3_epsg(double longitude);

// A coordinate transformation between two CRSs. Not thread-safe: clone one per thread.
class Transform {
public:
    Transform(const Crs& from, const Crs& to);
    Transform(const Transform& other);
    Transform& operator=(const Transform&) = delete;
    ~Transform();

    OGRCoordinateTransformation* get() const { return m_ct.get(); }
    // Transforms arrays in place; returns false if any point failed.
    bool transform(std::size_t n, double* x, double* y) const;

private:
    mutable std::vector<int> m_ok;  // per-point success flags, kept between calls
    struct Deleter {
        void operator()(OGRCoordinateTransformation* ct) const;
    };
    std::unique_ptr<OGRCoordinateTransformation, Deleter> m_ct;
    std::string m_from, m_to;
};

}  // namespace zk
