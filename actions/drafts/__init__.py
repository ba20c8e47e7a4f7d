"""Draft submissions: settle the track and who applies, then ask the track's fields, saving each answer.

The track's eligible applicants, requirements and intake dates come from the knowledge base;
the draft is created in the database as soon as the contact e-mail is confirmed (a code mailed to
it and typed back: knowledge/email_proof.py), and each later answer is written to it at once, so a
conversation cut off halfway loses nothing.

    slots      the form's slots and the proposal's columns they are saved to
    call       the call drafts are made for, and which of its tracks take them today
    form       validate_draft_form: each answer checked, then saved
    questions  how the form asks for the track and the kind of applicant
    lifecycle  starting, continuing (after the applicant's proof by mail), finishing and stopping a draft
    summary    a saved draft as the form's slots, and as the closing summary
    reminders  reminders of the draft's deadline, asked for and stopped in the chat
"""
