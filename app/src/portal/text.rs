//! The texts of the account, dossier, review and admin pages, in zh-CN and English. A table of
//! its own (`P`), used only by server-rendered pages, so none of it reaches the browser bundle.

use crate::i18n::messages;

messages! {
    P;
    NavMyDossiers => "我的申报", "My applications";
    NavReview => "审核", "Review";
    NavAdmin => "账号管理", "Accounts";
    NavLogin => "登录", "Sign in";
    NavLogout => "退出", "Sign out";
    NavRegister => "注册", "Register";
    SignedInAs => "已登录：", "Signed in as ";
    PageDataMissing => "页面数据缺失，请刷新重试。", "This page's data is missing; please reload.";
    ErrorSummaryTitle => "有问题需要处理", "There is a problem";
    Choose => "请选择", "Choose";
    DateHint => "格式：年-月-日，例如 2024-06-30", "Format: year-month-day, for example 2024-06-30";
    LoginHeading => "登录", "Sign in";
    LoginButton => "登录", "Sign in";
    Username => "用户名", "Username";
    UsernameHint => "3至32个字符：小写字母、数字、点、下划线或连字符。", "3 to 32 characters: lower-case letters, digits, dots, underscores or hyphens.";
    Password => "密码", "Password";
    PasswordHint => "至少10个字符。", "At least 10 characters.";
    ConfirmPassword => "再次输入密码", "Confirm the password";
    NewPassword => "新密码", "New password";
    DisplayName => "姓名或称呼", "Your name";
    NoAccount => "还没有账号？", "No account yet?";
    RegisterLink => "注册一个", "Register";
    ForgotPassword => "忘记密码时，请联系省级管理员发放一次性重置链接。", "Forgot your password? Ask your provincial administrator for a one-time reset link.";
    RegisterHeading => "注册账号", "Create an account";
    RegisterLead => "注册后即可根据自测结果在线申报。", "With an account you can apply online from your self-check.";
    RegisterButton => "注册", "Create account";
    ResetHeading => "设置新密码", "Set a new password";
    ResetButton => "保存新密码", "Save the new password";
    ResetDone => "新密码已保存，请登录。", "Your new password is saved: please sign in.";
    ErrInvalidLogin => "用户名或密码不正确", "The username or password is not right";
    ErrLocked => "连续登录失败次数过多，账号已暂时锁定，请15分钟后再试", "Too many failed sign-ins: the account is locked for 15 minutes";
    ErrRateLimited => "登录尝试过于频繁，请稍后再试", "Too many sign-in attempts from here: please wait a few minutes";
    ErrUsername => "用户名须为3至32个小写字母、数字、点、下划线或连字符", "The username must be 3 to 32 lower-case letters, digits, dots, underscores or hyphens";
    ErrUsernameTaken => "该用户名已被使用，请换一个", "That username is taken: choose another";
    ErrDisplayName => "请填写姓名或称呼（不超过50个字）", "Enter your name (at most 50 characters)";
    ErrPassword => "密码至少需要10个字符", "The password needs at least 10 characters";
    ErrConfirm => "两次输入的密码不一致", "The two passwords do not match";
    ErrResetInvalid => "重置链接无效、已使用或已过期，请联系管理员重新发放", "The reset link is unknown, used or expired: ask for a new one";
    ErrFullName => "请填写姓名", "Enter your full name";
    ErrIdNumber => "身份证号码须为18位，最后一位是校验码（数字或X），请核对", "The ID card number must have 18 characters ending in a check character (a digit or X): check it";
    ErrOrg => "请选择工作单位", "Choose your employer";
    ErrOccupation => "请填写职业编码，例如 6-18-01-01", "Enter an occupation code, for example 6-18-01-01";
    ErrCurrentPost => "请填写现任岗位", "Enter your current post";
    ErrTarget => "请选择申报的职称或技能等级", "Choose the title or skill level you apply for";
    ErrTargetNotOpen => "按现行规则，您目前还不能申报所选目标，请查看自测结果", "Under the rules in force you cannot apply for this target yet: see your self-check";
    ErrAchievementsNone => "请至少填写一项业绩成果", "Add at least one achievement";
    ErrAchievementKind => "请选择业绩成果的类型", "Choose the kind of achievement";
    ErrAchievementTitle => "请填写业绩成果的名称", "Enter the achievement's title";
    ErrAchievementDate => "日期格式应为年-月-日，且不能晚于今天", "The date must be year-month-day and not after today";
    ErrFileTooLarge => "文件超过10MB，请压缩后再上传", "The file is larger than 10 MB: make it smaller and upload again";
    ErrFileType => "只接受PDF、JPG、PNG文件（按文件内容识别）", "Only PDF, JPG and PNG files are accepted (judged by their content)";
    ErrFileQuota => "本申报材料的附件总量已达上限（50MB）", "This dossier's attachments have reached their limit (50 MB)";
    ErrReasonsRequired => "退回时请至少针对一个项目填写理由", "To return the dossier, give a reason for at least one item";
    ErrNoCommittee => "所选单位所在地区尚无评审委员会受理", "No committee takes dossiers from your employer's region yet";
    NoticeCreated => "已根据自测回答创建申报草稿。", "A draft has been started from your self-check answers.";
    NoticeSaved => "草稿已保存。", "Draft saved.";
    NoticeConflict => "这份申报材料在您打开后已被修改（可能在另一个窗口）。您填写的内容仍在下面，请核对后再保存。", "This dossier was changed after you opened it (perhaps in another window). What you typed is still below: check it and save again.";
    NoticeSubmitted => "已提交，等待单位审核。", "Submitted: waiting for your employer's review.";
    NoticeApproved => "已同意，单位公示开始。", "Approved: the unit publicity has started.";
    NoticeReturned => "已退回，申报人将看到每一项理由。", "Returned: the applicant sees each reason.";
    NoticeAccepted => "已受理，进入评审。", "Accepted for review.";
    NoticePublicityEnded => "公示期结束，进入形式审查。", "Publicity over: the dossier is in the formal check.";
    NoticeNotAllowed => "当前状态下不能进行此操作。", "That cannot be done in the dossier's current state.";
    NoticeCalendar => "无法计算公示期：该年度的放假安排尚未收录。", "The publicity period cannot be counted: that year's holiday calendar is not loaded yet.";
    NoticePublicityNotOver => "公示期尚未结束。", "The publicity period has not ended yet.";
    NoticeFileStored => "附件已上传。", "File uploaded.";
    NoticeFileRemoved => "附件已删除。", "File removed.";
    ApplyHeading => "开始申报", "Start an application";
    ApplyLead => "将用您的自测回答创建一份申报草稿。提交前可以随时修改，未提交前只有您能看到。", "A draft will be made from your self-check answers. You can change it until you submit; nobody else sees it before then.";
    ApplyEligibleHeading => "按您的回答，可以申报：", "By your answers you may apply for:";
    ApplyNoneEligible => "按您的回答，目前还没有可以申报的目标；您仍可创建草稿，待条件满足后提交。", "By your answers nothing is open to you yet; you may still start a draft and submit it once you qualify.";
    ApplyButton => "创建申报草稿", "Start the draft";
    ApplyChangeAnswers => "返回修改自测回答", "Change your self-check answers";
    MyDossiersHeading => "我的申报", "My applications";
    NoDossiers => "您还没有申报材料。先做自测，再从结果页开始申报。", "You have no applications yet. Do the self-check first, then apply from its result page.";
    WhatNext => "下一步", "What to do next";
    StartFromCheck => "从自测开始新的申报", "Start a new application from the self-check";
    DossierNumber => "申报编号", "Dossier";
    DossierHeading => "申报材料", "Application dossier";
    State => "状态", "Status";
    Updated => "更新时间", "Updated";
    BackToMyDossiers => "返回我的申报", "Back to my applications";
    BackToQueue => "返回审核列表", "Back to the review queue";
    AboutYou => "基本信息", "About you";
    FieldOrg => "工作单位", "Employer";
    FieldFullName => "姓名", "Full name";
    FieldIdNumber => "身份证号码", "ID card number";
    FieldOccupation => "职业编码", "Occupation code";
    FieldCurrentPost => "现任岗位", "Current post";
    FieldTarget => "申报目标", "Applying for";
    FieldAchievements => "业绩成果", "Achievements";
    FieldAttachments => "附件材料", "Attachments";
    FieldAnswers => "自测回答（证书、年限、考核）", "Self-check answers (certificates, years, assessments)";
    FieldOther => "其他", "Other";
    IdNumberHint => "18位居民身份证号码，最后一位可能是X。", "The 18-character resident ID number; the last may be X.";
    OrgHint => "单位人事部门将审核您的申报；单位所在地区决定适用的规则。", "Your employer's HR reviews your dossier; its region decides which rules apply.";
    OccupationHint => "《职业分类大典》编码，例如 6-18-01-01（车工）。", "A code of the national classification of occupations, for example 6-18-01-01 (lathe operator).";
    TargetHeading => "申报目标", "What you apply for";
    TargetHint => "括号内是按现行规则和您的自测回答得出的结论。", "In brackets: the verdict under the rules in force for your self-check answers.";
    TargetEligible => "可申报", "eligible";
    TargetNotYet => "尚需等待", "not yet";
    TargetIneligible => "暂不符合", "not eligible";
    TargetUnknown => "信息不全", "more information needed";
    SeeAnswers => "查看自测回答", "See your self-check answers";
    AchievementsHint => "按96号文 二(二)2，业绩成果可以是技术革新、工艺改进、标准制定、技能竞赛、带徒传技等。", "Under No. 96 II(2)2, achievements may be innovations, process improvements, standards, competitions, apprentices trained and the like.";
    AchievementN => "业绩成果 {n}", "Achievement {n}";
    AchievementKind => "类型", "Kind";
    AchievementTitle => "名称", "Title";
    AchievementDate => "日期", "Date";
    AchievementRole => "本人角色", "Your role";
    AchievementRoleHint => "例如：主持、参与、第一完成人。", "For example: led, took part, first contributor.";
    AchievementDescription => "简要说明", "Short description";
    AddAchievement => "再添加一项业绩成果", "Add another achievement";
    RemoveAchievement => "删除业绩成果 {n}", "Remove achievement {n}";
    UploadLabel => "上传附件", "Upload a file";
    UploadHint => "PDF、JPG或PNG，每个不超过10MB；保存草稿时上传。", "PDF, JPG or PNG, at most 10 MB each; uploaded when you save.";
    RemoveFile => "删除", "Remove";
    SaveDraft => "保存草稿", "Save draft";
    SubmitDossier => "提交申报", "Submit the application";
    SubmitHint => "提交时，服务器会按现行规则重新核验并保存回执。", "On submission the server checks again under the rules in force and keeps a receipt.";
    DetailsHeading => "申报内容", "What was submitted";
    Committee => "评审委员会", "Committee";
    ReturnedHeading => "退回理由", "Reasons for the return";
    ReturnedReason => "退回意见：", "Returned: ";
    ReceiptHeading => "提交回执", "Submission receipt";
    ReceiptSubmitted => "提交日期：", "Submitted on: ";
    ReceiptRules => "核验规则：", "Checked against: ";
    ReceiptHash => "规则内容摘要：", "Rule content hash: ";
    ReceiptStatus => "核验结论：", "Verdict: ";
    HistoryHeading => "办理记录", "History";
    PublicityUntil => "公示至{date}", "publicised until {date}";
    PublicityRunning => "单位公示至{date}（5个工作日），期满后可结束公示。", "Unit publicity runs until {date} (5 working days); it can be ended after that.";
    EndPublicity => "公示期满，转入形式审查", "End the publicity and start the formal check";
    EmployerDecision => "单位审核", "Employer review";
    EmployerApprove => "同意并开始单位公示", "Approve and start the unit publicity";
    EmployerReturn => "退回申报人修改", "Return to the applicant";
    CommitteeDecision => "形式审查", "Formal check";
    CommitteeAccept => "受理，进入评审", "Accept for review";
    CommitteeReturn => "一次性告知所需补正材料并退回", "Return with every missing item at once";
    ReturnWithReasons => "退回并说明理由", "Return with reasons";
    ReturnHint => "针对需要修改的项目填写理由，申报人会在对应项目旁看到。", "Give a reason for each item to fix; the applicant sees it beside that item.";
    ReasonFor => "理由：", "Reason: ";
    StateDraft => "草稿", "Draft";
    StateSubmitted => "待单位审核", "Waiting for employer";
    StateReturnedByEmployer => "单位退回", "Returned by employer";
    StateUnitPublicity => "单位公示中", "Unit publicity";
    StateFormalCheck => "形式审查中", "Formal check";
    StateReturnedByCommittee => "评委会退回", "Returned by committee";
    StateAccepted => "已受理评审", "Accepted for review";
    StateUnknownCode => "未知状态", "Unknown status";
    NextDraft => "补全信息和业绩成果后提交。", "Complete the details and achievements, then submit.";
    NextSubmitted => "等待单位人事部门审核。", "Wait for your employer's HR to review it.";
    NextReturned => "按退回理由修改后重新提交。", "Fix the items named in the reasons and submit again.";
    NextPublicity => "单位公示期间无需操作。", "Nothing to do during the publicity.";
    NextFormalCheck => "等待评委会办公室形式审查。", "Wait for the committee office's formal check.";
    NextAccepted => "已进入评审，请留意评审安排。", "In review: watch for the review schedule.";
    ActCreate => "创建草稿", "Draft started";
    ActSubmit => "提交", "Submitted";
    ActEmployerApprove => "单位同意", "Employer approved";
    ActEmployerReturn => "单位退回", "Employer returned it";
    ActEndPublicity => "公示期满", "Publicity ended";
    ActCommitteeAccept => "评委会受理", "Committee accepted it";
    ActCommitteeReturn => "评委会退回", "Committee returned it";
    ActOther => "其他操作", "Other";
    QueueEmployer => "单位审核列表", "Employer review queue";
    QueueCommittee => "评委会办公室列表", "Committee office queue";
    AllStates => "全部状态", "All statuses";
    CountsLabel => "各状态数量", "Counts by status";
    SearchLabel => "姓名或编号", "Name or number";
    Filter => "筛选", "Filter";
    QueueTotal => "共 {n} 份", "{n} dossiers";
    PagesLabel => "分页", "Pages";
    PageOf => "第 {n} 页，共 {total} 页", "Page {n} of {total}";
    PrevPage => "上一页", "Previous page";
    NextPage => "下一页", "Next page";
    ExportCsv => "导出CSV", "Export CSV";
    AccountsHeading => "账号管理", "Accounts";
    Roles => "角色", "Roles";
    Actions => "操作", "Actions";
    IssueReset => "发放重置链接", "Issue a reset link";
    ResetIssued => "已为 {user} 生成一次性重置链接（24小时内有效）：", "One-time reset link for {user} (valid for 24 hours):";
    ResetIssuedHint => "此链接只显示这一次，请当面或通过可靠渠道交给本人。", "This link is shown only once: hand it to the person by a trusted channel.";
}

#[cfg(test)]
mod tests {
    use super::P;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_text_is_in_both_languages() {
        for msg in P::ALL {
            assert!(!msg.zh().trim().is_empty(), "{msg:?} has no Chinese text");
            assert!(!msg.en().trim().is_empty(), "{msg:?} has no English text");
            assert!(has_cjk(msg.zh()), "{msg:?}: Chinese text has no Chinese");
            assert!(!has_cjk(msg.en()), "{msg:?}: English text contains Chinese");
        }
    }
}
