import pytest

from pagesplit.evaluation.units import Unit, is_intertitle, paragraph_roles

BODY = "记者在现场看到，新建的污水处理站已经投入运行，清澈的河水重新成为孩子们嬉戏的地方。"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("博士种田记", True),
        ("“再不用面朝黄土背朝天，好日子还在后头”", True),  # a quote line under an intertitle
        ("这正是：", False),  # ends a sentence
        ("（二）配合调查，如实说明本人违法事实的；", False),
        ("王小明\u3000某某医院主任医师", False),  # a row of a name list
        ("——参加工作的老同志", False),
        (BODY, False),
        ("二", True),
    ],
)
def test_is_intertitle(text, expected):
    assert is_intertitle(text) is expected


def test_paragraph_roles():
    paras = ("核心阅读", BODY, "河湾小镇的变化", BODY, "中铁八局供图", BODY, "版式设计：赵一", "责任编辑：钱二")
    roles = [(u.role, u.label) for u in paragraph_roles(paras)]
    assert roles == [
        ("intertitle", "article"), ("body", "article"), ("intertitle", "article"), ("body", "article"),
        ("caption", "article"), ("body", "article"), ("", "boilerplate"), ("", "boilerplate"),
    ]


def test_first_paragraph_is_never_an_intertitle_and_lone_credit_is_kept():
    assert paragraph_roles(("短短一句",)) == (Unit("body", "短短一句"),)
    assert paragraph_roles(("版式设计：赵一",))[0].label == "article"  # a lone paragraph is never dropped
