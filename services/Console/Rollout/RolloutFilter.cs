using System.Globalization;
using Mep.Console.Platform;

namespace Mep.Console.Rollout;

/// <summary>
/// The board's and the plan's filter (wave, district) as the GET form sends it, and as Schools' plan endpoint takes it: the URL says
/// what is shown, so a planner can share a link to "wave 2 in Linden-Limmer".
/// </summary>
public sealed record RolloutFilter(int? Wave, string? District)
{
    public bool IsEmpty => Wave is null && string.IsNullOrWhiteSpace(District);

    public string ApiPath(string groupBy = "wave")
    {
        var query = new List<string> { $"groupBy={groupBy}" };
        if (Wave is { } wave)
        {
            query.Add($"wave={wave.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!string.IsNullOrWhiteSpace(District))
        {
            query.Add($"district={Uri.EscapeDataString(District.Trim())}");
        }

        return "/api/schools/rollout/plan?" + string.Join('&', query);
    }

    /// <summary>The console's own query string for this filter (without "?"), empty for no filter.</summary>
    public string PageQuery()
    {
        var query = new List<string>();
        if (Wave is { } wave)
        {
            query.Add($"welle={wave.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!string.IsNullOrWhiteSpace(District))
        {
            query.Add($"bezirk={Uri.EscapeDataString(District.Trim())}");
        }

        return string.Join('&', query);
    }
}

public static class RolloutPlans
{
    /// <summary>
    /// The plan the filter selects, and the plan of all schools for the filter's choices (the same call when nothing is filtered).
    /// </summary>
    public static async Task<(ApiAnswer<RolloutPlan> Shown, ApiAnswer<RolloutPlan> All)> ReadAsync(this PlatformApi api, RolloutFilter filter)
    {
        var shown = api.GetAsync<RolloutPlan>(filter.ApiPath());
        var all = filter.IsEmpty ? shown : api.GetAsync<RolloutPlan>(new RolloutFilter(null, null).ApiPath());
        return (await shown, await all);
    }
}
