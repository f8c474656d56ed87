using Mep.Contracts.Schools;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Applications;

/// <summary>
/// The programme's rules an application must meet, each a named refusal (422) that leaves nothing stored. The rules are the programme's
/// data (<see cref="ProgrammeRules"/>): a Land that changes a date or a cap changes data, not this code.
/// </summary>
internal static class ApplicationRules
{
    /// <summary>Statuses whose amount counts against a cap: submitted and everything after it that was not turned down or given back.</summary>
    private static readonly ApplicationStatus[] Committing =
        [ApplicationStatus.Submitted, ApplicationStatus.Approved, ApplicationStatus.InProgress, ApplicationStatus.Completed, ApplicationStatus.Settled];

    /// <summary>What a draft's content must meet, whenever it is written.</summary>
    public static ProblemHttpResult? CheckDraft(Programme programme, ApplicationDraft draft)
    {
        var rules = programme.Rules;
        if (!rules.EligibleCategories.Contains(draft.Category))
        {
            return ApiProblems.DomainRule("category-not-eligible",
                $"{programme.Name} does not fund {Contracts.EnumText.CamelName(draft.Category)}; it funds "
                + $"{string.Join(", ", rules.EligibleCategories.Select(Contracts.EnumText.CamelName))}.");
        }

        if (draft.MeasureStart < rules.Dates.MeasuresFrom)
        {
            return ApiProblems.DomainRule("measure-started-too-early",
                $"{programme.Name} funds measures started on or after {Day(rules.Dates.MeasuresFrom)}; this one started on {Day(draft.MeasureStart)}.",
                new Dictionary<string, object?> { ["measuresFrom"] = rules.Dates.MeasuresFrom });
        }

        if (draft.Category == SpendingCategory.MobileDevices && rules.MobileDeviceCap?.EligibleFrom is { } eligibleFrom && draft.MeasureStart < eligibleFrom)
        {
            return ApiProblems.DomainRule("mobile-devices-not-yet-eligible",
                $"Mobile devices are eligible in {programme.Name} for measures started on or after {Day(eligibleFrom)}; this one started on {Day(draft.MeasureStart)}.",
                new Dictionary<string, object?> { ["eligibleFrom"] = eligibleFrom });
        }

        return null;
    }

    /// <summary>
    /// Whether a draft may be submitted today, and whether it falls into the first-come-first-served window. The caller holds the
    /// application's row lock; the mobile-device cap is judged under the programme's cap lock (taken here), so that two submissions at
    /// once are judged one after the other and cannot both take the last of a cap.
    /// </summary>
    public static async Task<(bool FirstComeFirstServed, ProblemHttpResult? Refusal)> CheckSubmissionAsync(FundingDbContext db,
        FundingApplication application, Programme programme, DateOnly today, CancellationToken cancellationToken)
    {
        var rules = programme.Rules;
        var dates = rules.Dates;
        if ((dates.FirstComeFirstServedUntil ?? dates.ApplicationsUntil) is { } lastDay && today > lastDay)
        {
            return (false, ApiProblems.DomainRule("application-deadline",
                $"{programme.Name} took applications until {Day(lastDay)}; today is {Day(today)}.",
                new Dictionary<string, object?> { ["deadline"] = lastDay }));
        }

        if (rules.Settlement.RequirementProfileToApply)
        {
            var concept = await MediaConcepts.OfAsync(db, application.SchoolId, cancellationToken);
            if (concept is null or MediaConceptStatus.None)
            {
                return (false, ApiProblems.DomainRule("application-needs-requirement-profile",
                    $"{programme.Name} takes applications from schools with at least a requirement profile of their media education concept; "
                    + "this school has none on record."));
            }
        }

        if (application.Category == SpendingCategory.MobileDevices && rules.MobileDeviceCap is { } cap
            && await CheckMobileDeviceCapAsync(db, application, programme, cap, cancellationToken) is { } overCap)
        {
            return (false, overCap);
        }

        return (dates.ApplicationsUntil is { } budgetDeadline && today > budgetDeadline, null);
    }

    /// <summary><see cref="FundingApplication.Committed"/> as PostgreSQL sums it.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<FundingApplication, decimal>> CommittedInSql =
        a => a.ApprovedAmount ?? a.PlannedAmount + a.SurchargeAmount;

    private static async Task<ProblemHttpResult?> CheckMobileDeviceCapAsync(FundingDbContext db, FundingApplication application, Programme programme,
        MobileDeviceCap cap, CancellationToken cancellationToken)
    {
        // One lock per programme's cap for the rest of the transaction; approvals and withdrawals only lower what counts, so only
        // submissions take it.
        var lockName = $"funding-mobile-device-cap:{programme.Code}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockName}, 0))", cancellationToken);
        var mobile = db.Set<FundingApplication>().Where(a => a.ProgrammeCode == programme.Code && a.Category == SpendingCategory.MobileDevices
            && Committing.Contains(a.Status) && a.Id != application.Id);
        var adding = application.Committed;
        var school = await mobile.Where(a => a.SchoolId == application.SchoolId).SumAsync(CommittedInSql, cancellationToken);
        if (school + adding > cap.PerSchool)
        {
            return ApiProblems.DomainRule("mobile-device-cap-per-school",
                $"Mobile devices may take at most {Eur(cap.PerSchool)} per school in {programme.Name}; this school has {Eur(school)} applied for, "
                + $"and this application adds {Eur(adding)} (planned total with surcharge).",
                new Dictionary<string, object?> { ["cap"] = cap.PerSchool, ["committed"] = school, ["requested"] = adding });
        }

        if (programme.Rules.Pool is { } pool)
        {
            var authorityCap = Money.Cents(cap.ShareOfPool * pool);
            var authority = await mobile.SumAsync(CommittedInSql, cancellationToken);
            if (authority + adding > authorityCap)
            {
                return ApiProblems.DomainRule("mobile-device-cap-per-authority",
                    $"Mobile devices may take at most {Eur(authorityCap)} ({(cap.ShareOfPool * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} % of the pool) in {programme.Name}; "
                    + $"{Eur(authority)} are applied for, and this application adds {Eur(adding)}.",
                    new Dictionary<string, object?> { ["cap"] = authorityCap, ["committed"] = authority, ["requested"] = adding });
            }
        }

        return null;
    }

    public static ProblemHttpResult? CheckApproval(Programme programme, DateOnly today) =>
        programme.Rules.Dates.ApprovalsUntil is { } lastDay && today > lastDay
            ? ApiProblems.DomainRule("approval-deadline", $"{programme.Name} approves applications until {Day(lastDay)}; today is {Day(today)}.",
                new Dictionary<string, object?> { ["deadline"] = lastDay })
            : null;

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Eur(decimal amount) => amount.ToString("#,##0.00 EUR", System.Globalization.CultureInfo.InvariantCulture);
}
