using Mep.ServiceDefaults.Hosting;

namespace Mep.Support;

public static class SupportService
{
    /// <summary>The path the Support service owns behind the edge.</summary>
    public const string PathPrefix = "/api/support";

    public static readonly ServiceDescription Description = new(
        Title: "MEP Platform: Support",
        PathPrefix: PathPrefix,
        Description: "Support tickets from schools through levels 0-3 (school, service desk, IT department, providers, vendors and the "
            + "contractor CSS): qualified reporting, routing rules as data, SLA clocks per level in business time with Lower Saxony's "
            + "holidays, escalation, knowledge base, contractor hours against system-support budgets, repairs (payer by rules, vendor and back, "
            + "replacement, costs, repeat repairs), queues and metrics.");
}
