using Mep.Contracts.Assets;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;

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

    /// <summary>The funding source of a programme whose devices are lent; null for a programme that finances no devices.</summary>
    public static FundingSource? SourceOf(string programmeCode) =>
        CodeBySource.Where(p => p.Value == programmeCode).Select(p => (FundingSource?)p.Key).FirstOrDefault();

    /// <summary>The funding source of a programme whose loan devices are asked for; refused for a programme that finances no devices.</summary>
    /// <exception cref="DomainRuleException">programme-without-loan-devices</exception>
    public static FundingSource RequireSourceOf(Programme programme) => SourceOf(programme.Code)
        ?? throw new DomainRuleException("programme-without-loan-devices",
            $"{programme.Name} finances no devices that are lent; loan devices are reported for "
            + $"{string.Join(", ", CodeBySource.Values.Order(StringComparer.Ordinal))}.") { Field = "programme" };
}
