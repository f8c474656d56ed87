using Mep.Contracts.Assets;

namespace Mep.Funding.Lending;

/// <summary>
/// Which of Funding's programmes a device's funding source (as Assets names it) is. The codes are those the migrations define; a
/// parent-financed device is no programme's, and a loan without a source comes from the school's own pool.
/// </summary>
public static class LoanProgrammes
{
    private static readonly Dictionary<FundingSource, string> CodeBySource = new()
    {
        [FundingSource.ImmediateEquipmentLoan] = "sofortausstattung-2020",
        [FundingSource.TeacherLoanDevices] = "teacher-loan-devices-2021",
        [FundingSource.DigitalPaktBase] = "digitalpakt-2019-ni",
        [FundingSource.CityMepBudget] = "city-mep-budget",
    };

    /// <summary>Every programme devices can be lent from, with its funding source.</summary>
    public static IReadOnlyDictionary<FundingSource, string> All => CodeBySource;

    /// <summary>The funding source of a programme whose devices are lent; null for a programme that finances no devices.</summary>
    public static FundingSource? SourceOf(string programmeCode) =>
        CodeBySource.Where(p => p.Value == programmeCode).Select(p => (FundingSource?)p.Key).FirstOrDefault();
}
