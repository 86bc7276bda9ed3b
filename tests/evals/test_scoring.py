

def test_a_negative_result_after_a_word_is_negative():
    from precepteur.evals.scoring import states

    assert states("Le résultat est -3.", "-3")
    assert not states("10 - 3 = 7", "-3")
