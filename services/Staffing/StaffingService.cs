using Mep.ServiceDefaults.Hosting;

namespace Mep.Staffing;

public static class StaffingService
{
    /// <summary>The path the Staffing service owns behind the edge.</summary>
    public const string PathPrefix = "/api/staffing";

    public static readonly ServiceDescription Description = new(
        Title: "MEP Platform: Staffing",
        PathPrefix: PathPrefix,
        Description: "Support staffing from live device counts: counts per school and staffing category kept from Schools' and Assets' "
            + "events, staffing models as versioned data (Hannover MEP 2020, ifib/Bertelsmann 2017, Stuttgart, Bremen, custom), FTE per "
            + "school, district and city with every figure explained, personnel cost, current posts against the need, scenarios projected "
            + "year by year, nightly history and the ticket load per FTE.");
}
