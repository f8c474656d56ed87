using Mep.ServiceDefaults.Hosting;

namespace Mep.Funding;

public static class FundingService
{
    /// <summary>The path the Funding service owns behind the edge.</summary>
    public const string PathPrefix = "/api/funding";

    public static readonly ServiceDescription Description = new(
        Title: "MEP Platform: Funding",
        PathPrefix: PathPrefix,
        Description: "DigitalPakt Schule and city budgets: programmes and their rules as data, allocations (base amount bound to its school, "
            + "per-pupil share distributed by finance), applications with deadlines and the mobile-device cap, expenditures, draws never above "
            + "the approved amount, proofs of use and settlement, parents' tablet subsidies and the uptake table, reports per school and "
            + "programme, loan devices per programme and repair costs per payer, deadline warnings and the council paper's cost table.");
}
