using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Routing;
using Mep.Support.Tickets;

namespace Mep.Support.Tests;

/// <summary>The ticket's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class TicketRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly TicketRoute ServiceDesk = new(1, "service-desk", RuleVersion: 1, RulePosition: 3);

    private static readonly Guid School = Guid.CreateVersion7(Now);

    private static Ticket Open(TicketRoute? route = null, bool solvedBySchool = false, long number = 1, Guid? school = null) => Ticket.Open(
        new TicketReport(school ?? School, "Frau Schulz", "it@gy.example", null, "mail", null, null, null, "Mail", "Down since 7 o'clock",
            Severity.Medium, Severity.Medium, NeedsOnSite: false, solvedBySchool),
        route ?? ServiceDesk, number, "agent-anna", Now);

    private static Ticket In(TicketStatus status)
    {
        var ticket = Open();
        foreach (var step in status switch
                 {
                     TicketStatus.New => [],
                     TicketStatus.Resolved => [TicketStatus.Resolved],
                     TicketStatus.Closed => [TicketStatus.Resolved, TicketStatus.Closed],
                     TicketStatus.Reopened => [TicketStatus.Resolved, TicketStatus.Reopened],
                     _ => new[] { status },
                 })
        {
            ticket.ChangeStatus(step, "agent-anna", byStaff: true, Now);
        }

        return ticket;
    }

    [Theory]
    [InlineData(Severity.High, Severity.High, TicketPriority.P1)]
    [InlineData(Severity.High, Severity.Medium, TicketPriority.P2)]
    [InlineData(Severity.Medium, Severity.Medium, TicketPriority.P3)]
    [InlineData(Severity.High, Severity.Low, TicketPriority.P3)]
    [InlineData(Severity.Medium, Severity.Low, TicketPriority.P4)]
    [InlineData(Severity.Low, Severity.Low, TicketPriority.P4)]
    public void Priority_follows_from_impact_and_urgency_together(Severity impact, Severity urgency, TicketPriority priority) =>
        Assert.Equal(priority, Ticket.PriorityOf(impact, urgency));

    [Fact]
    public void A_fault_the_school_solved_itself_is_opened_resolved_at_level_0_without_clocks()
    {
        var ticket = Open(TicketRoute.SolvedBySchool, solvedBySchool: true);

        Assert.Equal((TicketStatus.Resolved, 0, false, Now), (ticket.Status, ticket.Level, ticket.HasClock, ticket.ResolvedAt));
    }

    [Fact]
    public void Opening_records_the_route_in_the_history()
    {
        var entry = Assert.Single(Open().Changes);

        Assert.Equal(("opened", "level", null, "1 (service-desk)", "routing rules version 1"),
            (entry.Change, entry.Field, entry.FromValue, entry.ToValue, entry.Note));
    }

    [Theory]
    [InlineData(TicketStatus.New, TicketStatus.Triaged)]
    [InlineData(TicketStatus.New, TicketStatus.Resolved)]
    [InlineData(TicketStatus.InProgress, TicketStatus.WaitingForSchool)]
    [InlineData(TicketStatus.WaitingForSchool, TicketStatus.InProgress)]
    [InlineData(TicketStatus.WaitingForVendor, TicketStatus.Resolved)]
    [InlineData(TicketStatus.Resolved, TicketStatus.Closed)]
    [InlineData(TicketStatus.Resolved, TicketStatus.Reopened)]
    [InlineData(TicketStatus.Reopened, TicketStatus.InProgress)]
    public void An_allowed_status_change_is_made(TicketStatus from, TicketStatus to)
    {
        var ticket = In(from);

        ticket.ChangeStatus(to, "agent-anna", byStaff: true, Now);

        Assert.Equal(to, ticket.Status);
    }

    [Theory]
    [InlineData(TicketStatus.New, TicketStatus.Closed)]
    [InlineData(TicketStatus.New, TicketStatus.Reopened)]
    [InlineData(TicketStatus.InProgress, TicketStatus.Triaged)]
    [InlineData(TicketStatus.Resolved, TicketStatus.InProgress)]
    [InlineData(TicketStatus.Closed, TicketStatus.Reopened)]
    public void A_status_change_outside_the_workflow_is_refused_with_its_rule(TicketStatus from, TicketStatus to)
    {
        var ticket = In(from);

        var refused = Assert.Throws<DomainRuleException>(() => ticket.ChangeStatus(to, "agent-anna", byStaff: true, Now));

        Assert.Equal(("ticket-status-transition", from), (refused.Rule, ticket.Status));
    }

    [Fact]
    public void Resolving_at_level_1_at_once_is_a_first_contact_resolution()
    {
        var ticket = In(TicketStatus.Resolved);

        Assert.Equal((true, Now), (ticket.FirstContactResolution, ticket.ResolvedAt));
    }

    [Fact]
    public void A_ticket_that_waited_for_the_school_is_no_first_contact_resolution()
    {
        var ticket = In(TicketStatus.WaitingForSchool);

        ticket.ChangeStatus(TicketStatus.Resolved, "agent-anna", byStaff: true, Now);

        Assert.False(ticket.FirstContactResolution);
    }

    [Fact]
    public void Reopening_takes_back_the_resolution_and_counts_the_reopening()
    {
        var ticket = In(TicketStatus.Reopened);

        Assert.Equal((null, null, 1), (ticket.ResolvedAt, ticket.FirstContactResolution, ticket.ReopenCount));
    }

    [Fact]
    public void A_status_change_by_staff_is_the_first_response()
    {
        var ticket = Open();

        ticket.ChangeStatus(TicketStatus.InProgress, "agent-anna", byStaff: true, Now.AddMinutes(5));

        Assert.Equal(Now.AddMinutes(5), ticket.FirstRespondedAt);
    }

    [Fact]
    public void A_status_change_by_the_school_is_no_response()
    {
        var ticket = Open();

        ticket.ChangeStatus(TicketStatus.Resolved, "school", byStaff: false, Now);

        Assert.Null(ticket.FirstRespondedAt);
    }

    [Fact]
    public void The_schools_answer_to_a_ticket_waiting_for_it_sets_the_ticket_in_progress_again()
    {
        var ticket = In(TicketStatus.WaitingForSchool);

        ticket.SchoolAnswered("school", Now);

        Assert.Equal(TicketStatus.InProgress, ticket.Status);
    }

    [Fact]
    public void A_merged_ticket_refuses_a_status_change_as_a_state_conflict()
    {
        var ticket = Open();
        ticket.MergeInto(Open(number: 2), "agent-anna", Now);

        var refused = Assert.Throws<DomainRuleException>(() => ticket.ChangeStatus(TicketStatus.Reopened, "agent-anna", byStaff: true, Now));

        Assert.Equal(("ticket-merged", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Moving_up_a_level_escalates_and_unassigns_the_ticket()
    {
        var ticket = Open();

        ticket.MoveToLevel(2, "it-department", "needs the network team", "agent-anna", Now);

        Assert.Equal((2, "it-department", true, null), (ticket.Level, ticket.GroupCode, ticket.Escalated, ticket.Assignee));
    }

    [Fact]
    public void Moving_down_a_level_is_recorded_as_a_deescalation()
    {
        var ticket = Open(new TicketRoute(2, "it-department", 1, 4));

        ticket.MoveToLevel(1, "service-desk", "a question for the desk", "agent-anna", Now);

        Assert.Equal(("deescalated", "2 (it-department)", "1 (service-desk)", false),
            (ticket.Changes[^1].Change, ticket.Changes[^1].FromValue, ticket.Changes[^1].ToValue, ticket.Escalated));
    }

    [Fact]
    public void Moving_a_resolved_ticket_between_levels_is_refused_as_a_state_conflict()
    {
        var ticket = In(TicketStatus.Resolved);

        var refused = Assert.Throws<DomainRuleException>(() => ticket.MoveToLevel(2, "it-department", "late", "agent-anna", Now));

        Assert.Equal(("ticket-not-open", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Moving_a_ticket_to_the_level_and_group_it_is_with_is_refused()
    {
        var ticket = Open();

        var refused = Assert.Throws<DomainRuleException>(() => ticket.MoveToLevel(1, "service-desk", "again", "agent-anna", Now));

        Assert.Equal("ticket-already-there", refused.Rule);
    }

    [Fact]
    public void Merging_closes_the_duplicate_and_notes_it_on_the_ticket_it_went_into()
    {
        var duplicate = Open(number: 7);
        var target = Open(number: 8);

        duplicate.MergeInto(target, "agent-anna", Now);

        Assert.Equal((TicketStatus.Closed, target.Id, "duplicateMerged", "#7"),
            (duplicate.Status, duplicate.MergedIntoId, target.Changes[^1].Change, target.Changes[^1].ToValue));
    }

    [Fact]
    public void A_ticket_does_not_merge_into_itself()
    {
        var ticket = Open();

        Assert.Equal("merge-target-invalid", Assert.Throws<DomainRuleException>(() => ticket.MergeInto(ticket, "agent-anna", Now)).Rule);
    }

    [Fact]
    public void A_ticket_does_not_merge_into_another_schools_ticket()
    {
        var otherSchools = Open(number: 2, school: Guid.CreateVersion7(Now.AddDays(1)));

        Assert.Equal("merge-across-schools", Assert.Throws<DomainRuleException>(() => Open().MergeInto(otherSchools, "agent-anna", Now)).Rule);
    }

    [Fact]
    public void A_school_does_not_see_that_an_internal_note_was_written()
    {
        var ticket = Open();
        ticket.Record("agent-anna", Now, "internalNote", null, null, null, null);

        Assert.Null(ticket.Changes[^1].AsSeenBySchool(new HashSet<long>()));
    }

    [Fact]
    public void A_schools_history_keeps_a_link_to_another_schools_ticket_without_its_number()
    {
        var ticket = Open(number: 1);
        ticket.Record("agent-anna", Now, "linked", null, null, Ticket.Reference(43), null);

        Assert.Equal(new HistoryResponse(Now, "agent-anna", "linked", null, null, null, null), ticket.Changes[^1].AsSeenBySchool(new HashSet<long> { 1 }));
    }

    [Fact]
    public void A_schools_history_names_its_own_ticket_an_outage_line_points_to()
    {
        var child = Open(number: 2);
        child.SetParent(Open(number: 3), isParentOfOthers: false, "agent-anna", Now);

        Assert.Equal("part of outage #3", child.Changes[^1].AsSeenBySchool(new HashSet<long> { 2, 3 })!.Note);
    }

    [Fact]
    public void A_ticket_does_not_merge_into_a_ticket_merged_itself()
    {
        var merged = Open(number: 2);
        merged.MergeInto(Open(number: 3), "agent-anna", Now);

        Assert.Equal("merge-target-invalid", Assert.Throws<DomainRuleException>(() => Open().MergeInto(merged, "agent-anna", Now)).Rule);
    }

    [Fact]
    public void A_parent_ticket_is_not_itself_a_child()
    {
        var child = Open(number: 2);
        child.SetParent(Open(number: 3), isParentOfOthers: false, "agent-anna", Now);

        Assert.Equal("parent-invalid", Assert.Throws<DomainRuleException>(() => Open().SetParent(child, isParentOfOthers: false, "agent-anna", Now)).Rule);
    }

    [Fact]
    public void A_ticket_is_not_its_own_parent()
    {
        var ticket = Open();

        Assert.Equal("parent-invalid", Assert.Throws<DomainRuleException>(() => ticket.SetParent(ticket, isParentOfOthers: false, "agent-anna", Now)).Rule);
    }

    [Theory]
    [InlineData(TicketStatus.Closed)]
    [InlineData(TicketStatus.Reopened)]
    public void A_school_closes_or_reopens_its_resolved_ticket(TicketStatus to)
    {
        var ticket = In(TicketStatus.Resolved);

        ticket.ChangeStatusAsSchool(to, "school", Now);

        Assert.Equal(to, ticket.Status);
    }

    [Theory]
    [InlineData(TicketStatus.New, TicketStatus.Resolved)]
    [InlineData(TicketStatus.InProgress, TicketStatus.WaitingForVendor)]
    [InlineData(TicketStatus.WaitingForSchool, TicketStatus.InProgress)]
    [InlineData(TicketStatus.Closed, TicketStatus.Reopened)]
    public void Any_other_status_change_by_a_school_is_refused_with_its_rule(TicketStatus from, TicketStatus to)
    {
        var ticket = In(from);

        var refused = Assert.Throws<DomainRuleException>(() => ticket.ChangeStatusAsSchool(to, "school", Now));

        Assert.Equal(("school-closes-or-reopens-only", from), (refused.Rule, ticket.Status));
    }

    [Fact]
    public void A_schools_reopening_is_no_response()
    {
        var ticket = Open();
        ticket.ChangeStatus(TicketStatus.Resolved, "school", byStaff: false, Now);

        ticket.ChangeStatusAsSchool(TicketStatus.Reopened, "school", Now.AddHours(1));

        Assert.Null(ticket.FirstRespondedAt);
    }

    [Fact]
    public void A_ticket_becomes_part_of_an_outage()
    {
        var ticket = Open();
        var outage = Open(number: 2);

        ticket.SetParent(outage, isParentOfOthers: false, "agent-anna", Now);

        Assert.Equal(outage.Id, ticket.ParentId);
    }

    [Fact]
    public void The_parent_of_an_outage_does_not_become_a_child()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Open().SetParent(Open(number: 2), isParentOfOthers: true, "agent-anna", Now));

        Assert.Equal(("parent-invalid", "This ticket is itself the parent of an outage; it cannot become a child."), (refused.Rule, refused.Message));
    }

    [Fact]
    public void Detaching_is_not_refused_to_the_parent_of_an_outage()
    {
        var ticket = Open();

        ticket.SetParent(null, isParentOfOthers: true, "agent-anna", Now);

        Assert.Null(ticket.ParentId);
    }
}
