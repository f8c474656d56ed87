using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Assets.Loans;

/// <summary>
/// What the programme that financed a device allows for its loans: who may borrow it and for how long. Kept as data (table
/// loan_programme_rules, seeded by Migrations/0003_loans.sql), so that a programme's terms change without a release; <see cref="Loan"/>
/// applies them.
/// </summary>
public sealed class LoanProgrammeRule
{
    private LoanProgrammeRule()
    {
    }

    public LoanProgrammeRule(FundingSource programme, bool pupilsMayBorrow, bool teachersMayBorrow, int? maxLoanDays, string note) =>
        (Programme, PupilsMayBorrow, TeachersMayBorrow, MaxLoanDays, Note) = (programme, pupilsMayBorrow, teachersMayBorrow, maxLoanDays, note);

    public FundingSource Programme { get; private set; }
    public bool PupilsMayBorrow { get; private set; }
    public bool TeachersMayBorrow { get; private set; }

    /// <summary>The longest a loan may run, counted from the day it is lent; null where nobody may borrow.</summary>
    public int? MaxLoanDays { get; private set; }

    /// <summary>Where the rule comes from (the programme's guideline), for the people who read the rules.</summary>
    public string Note { get; private set; } = string.Empty;

    public bool IsLendable => PupilsMayBorrow || TeachersMayBorrow;

    public bool Admits(BorrowerKind borrower) => borrower == BorrowerKind.Pupil ? PupilsMayBorrow : TeachersMayBorrow;

    /// <summary>The last day a loan lent on <paramref name="lentOn"/> may be due back.</summary>
    public DateOnly LatestDueBack(DateOnly lentOn) => lentOn.AddDays(MaxLoanDays ?? 0);

    /// <summary>Refuses a borrower the programme excludes or a due date beyond its limit.</summary>
    public void Check(BorrowerKind borrower, DateOnly lentOn, DateOnly dueBack)
    {
        if (!IsLendable)
        {
            throw new DomainRuleException("device-not-lendable",
                $"Devices financed by {DeviceRules.Name(Programme)} are never lent.") { Field = "serialNumber" };
        }

        if (!Admits(borrower))
        {
            throw new DomainRuleException("programme-excludes-borrower",
                $"Devices financed by {DeviceRules.Name(Programme)} are lent to {(PupilsMayBorrow ? "pupils" : "teachers")} only.") { Field = "borrowerKind" };
        }

        if (dueBack > LatestDueBack(lentOn))
        {
            throw new DomainRuleException("due-back-beyond-programme",
                $"{DeviceRules.Name(Programme)} lends for at most {MaxLoanDays} days: due back on {LatestDueBack(lentOn):yyyy-MM-dd} at the latest.")
            {
                Field = "dueBack",
                Extensions = new Dictionary<string, object?> { ["latestDueBack"] = LatestDueBack(lentOn) },
            };
        }
    }
}

internal sealed class LoanProgrammeRuleConfiguration : IEntityTypeConfiguration<LoanProgrammeRule>
{
    public void Configure(EntityTypeBuilder<LoanProgrammeRule> rule)
    {
        rule.ToTable("loan_programme_rules");
        rule.HasKey(r => r.Programme);
        rule.Ignore(r => r.IsLendable);
    }
}
