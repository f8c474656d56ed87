using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.Contracts.Support;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Lending;

/// <summary>The loan devices of one programme, for its proof of use.</summary>
/// <param name="Programme">The programme's code; one whose devices are lent: sofortausstattung-2020, teacher-loan-devices-2021,
/// digitalpakt-2019-ni or city-mep-budget.</param>
/// <param name="District">Only the schools of this district, exactly as the school directory has it.</param>
/// <param name="LentFrom">First day of the period the figures count loans from (by the day lent); default the programme's first day of measures.</param>
/// <param name="LentUntil">Last day of the period; default today.</param>
public sealed record LoanReportQuery(
    [Required, MaxLength(ProgrammeFields.MaxCode)] string? Programme, [MaxLength(SchoolFields.MaxDistrict)] string? District, DateOnly? LentFrom,
    DateOnly? LentUntil) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (LentFrom > LentUntil)
        {
            errors.Add("lentUntil", "Not before lentFrom.");
        }
    }
}

/// <param name="LentFrom">First day of the period; default the first day of measures of each programme.</param>
/// <param name="LentUntil">Last day of the period; default today.</param>
public sealed record SchoolLoanQuery(DateOnly? LentFrom, DateOnly? LentUntil) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (LentFrom > LentUntil)
        {
            errors.Add("lentUntil", "Not before lentFrom.");
        }
    }
}

/// <summary>Loans of a programme lent in the period (by the day lent), and what became of them.</summary>
/// <param name="DevicesLent">Distinct devices lent (a device lent again, or lent on at another school after a transfer, counts once).</param>
/// <param name="Loans">Loans made; a transfer ends one loan and starts another at the borrower's new school.</param>
/// <param name="OutNow">Loans still out today.</param>
/// <param name="Overdue">Out and due back before today.</param>
/// <param name="Returned">Came back.</param>
/// <param name="ReturnedDamaged">Came back damaged (among <paramref name="Returned"/>).</param>
/// <param name="Lost">Reported lost.</param>
/// <param name="Stolen">Reported stolen.</param>
/// <param name="TransferredAway">Ended because the borrower changed school and took the device along.</param>
/// <param name="TransferredIn">Continued here after the borrower came from another school.</param>
public sealed record LoanFigures(int DevicesLent, int Loans, int OutNow, int Overdue, int Returned, int ReturnedDamaged, int Lost, int Stolen,
    int TransferredAway, int TransferredIn)
{
    public static LoanFigures From(LoanLedgerRow r) => new(r.DevicesLent, r.Loans, r.OutNow, r.Overdue, r.Returned, r.ReturnedDamaged, r.Lost,
        r.Stolen, r.TransferredAway, r.TransferredIn);
}

/// <param name="SchoolNumber">Null while the school directory does not know the school yet.</param>
public sealed record SchoolLoans(Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName, [MaxLength(SchoolFields.MaxDistrict)] string? District, LoanFigures Figures);

/// <summary>The loan devices of a programme per school, for its proof of use (Verwendungsnachweis).</summary>
/// <param name="FundingSource">The devices' funding source as Assets names it.</param>
/// <param name="Day">Today, the day "out now" and "overdue" are counted on.</param>
/// <param name="Totals">Over all schools of the report; devices lent are distinct over all of them.</param>
public sealed record LoanReport([MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName,
    FundingSource FundingSource, DateOnly LentFrom, DateOnly LentUntil, DateOnly Day, LoanFigures Totals, IReadOnlyList<SchoolLoans> Schools);

public sealed record ProgrammeLoans([MaxLength(ProgrammeFields.MaxCode)] string Programme, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName,
    FundingSource FundingSource, DateOnly LentFrom, DateOnly LentUntil, LoanFigures Figures);

/// <summary>One school's loan devices in every programme devices are lent from.</summary>
public sealed record OneSchoolLoans(Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string SchoolName, DateOnly Day, IReadOnlyList<ProgrammeLoans> Programmes);

/// <param name="Year">Calendar year the costs were incurred in; default this year.</param>
/// <param name="District">Only the schools of this district, exactly as the school directory has it.</param>
public sealed record RepairCostQuery([Range(2000, 2100)] int? Year, [MaxLength(SchoolFields.MaxDistrict)] string? District) : IValidatableRequest;

/// <param name="Year">Calendar year the costs were incurred in; default this year.</param>
public sealed record SchoolRepairCostQuery([Range(2000, 2100)] int? Year) : IValidatableRequest;

/// <summary>What one payer bore.</summary>
/// <param name="CityMoney">The school authority's money (the city's, or the school's system-support budget from the Land and the city);
/// false for the parents' provider, a manufacturer's warranty and the seller's liability.</param>
/// <param name="Costs">Costs recorded.</param>
/// <param name="RepairCases">Distinct repair cases among them.</param>
/// <param name="ContractorHours">The contractor's hours booked (against the school's system-support budget).</param>
public sealed record PayerCosts(RepairPayer Payer, bool CityMoney, int Costs, int RepairCases, decimal Amount, decimal ContractorHours);

/// <summary>Repair costs by payer. The school's system-support budget's line is what repairs drew from it, with the contractor's hours.</summary>
/// <param name="CityMoney">What the school authority bore: the city and the schools' system-support budgets.</param>
/// <param name="OtherMoney">What others bore: the parents' provider, manufacturers' warranty, sellers' liability.</param>
/// <param name="ByPayer">Every payer, in a fixed order, with zeros where none paid.</param>
public sealed record RepairCostFigures(decimal CityMoney, decimal OtherMoney, decimal Total, decimal ContractorHours, IReadOnlyList<PayerCosts> ByPayer)
{
    public static RepairCostFigures Of(IEnumerable<RepairCostSum> sums)
    {
        var list = sums.ToList();
        var byPayer = Enum.GetValues<RepairPayer>().Select(payer =>
        {
            var mine = list.Where(s => s.Payer == payer).ToList();
            return new PayerCosts(payer, RepairPayers.IsCityMoney(payer), mine.Sum(s => s.Costs), mine.Sum(s => s.RepairCases), mine.Sum(s => s.Amount),
                mine.Sum(s => s.ContractorHours));
        }).ToList();
        var city = byPayer.Where(p => p.CityMoney).Sum(p => p.Amount);
        var other = byPayer.Where(p => !p.CityMoney).Sum(p => p.Amount);
        return new RepairCostFigures(city, other, city + other, byPayer.Sum(p => p.ContractorHours), byPayer);
    }

    public PayerCosts For(RepairPayer payer) => ByPayer.Single(p => p.Payer == payer);
}

/// <param name="SchoolNumber">Null while the school directory does not know the school yet.</param>
public sealed record SchoolRepairCosts(Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName, [MaxLength(SchoolFields.MaxDistrict)] string? District, RepairCostFigures Figures);

/// <summary>Repair costs per school and payer in a year.</summary>
/// <param name="Totals">Over all schools of the report.</param>
public sealed record RepairCostReport(int Year, RepairCostFigures Totals, IReadOnlyList<SchoolRepairCosts> Schools);

public sealed record OneSchoolRepairCosts(Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string SchoolName, int Year, RepairCostFigures Figures);
